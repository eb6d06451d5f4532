"""Every model returns (logits, latent) with the paper's latent sizes (Section 3.3)."""

import pytest
import torch
from torch import nn

from lb.data import DATASETS
from lb.models import MODELS, build_model

CASES = [
    ("digits_cnn", "digits", 32),
    ("fashion_cnn", "fashion_mnist", 64),
    ("fashion_cnn", "mnist", 64),
    ("vgg16", "cifar10", 512),
    ("vgg16", "cifar100", 512),
    ("resnet50", "cifar100", 2048),
    ("resnet50", "cifar10", 2048),
]


@pytest.mark.parametrize(("model_name", "dataset", "latent_dim"), CASES)
def test_models_logits_and_latent_shapes(model_name, dataset, latent_dim):
    torch.manual_seed(0)
    spec = DATASETS[dataset]
    model = build_model(model_name, spec).eval()
    x = torch.randn(2, spec.channels, spec.image_size, spec.image_size)
    with torch.no_grad():
        logits, latent = model(x)
    assert logits.shape == (2, spec.num_classes)
    assert latent.shape == (2, latent_dim)
    assert model.latent_dim == latent_dim == MODELS[model_name].latent_dim
    assert torch.isfinite(logits).all() and torch.isfinite(latent).all()


@pytest.mark.parametrize(
    ("model_name", "dataset"),
    [("digits_cnn", "digits"), ("fashion_cnn", "mnist"), ("vgg16", "cifar10")],
)
def test_models_latent_is_the_input_of_the_output_head(model_name, dataset):
    """The latent is what the classifier sees (the layer "just before the classification")."""
    torch.manual_seed(1)
    spec = DATASETS[dataset]
    model = build_model(model_name, spec).eval()
    x = torch.randn(2, spec.channels, spec.image_size, spec.image_size)
    with torch.no_grad():
        logits, latent = model(x)
        assert torch.allclose(model.classifier(latent), logits)


def test_models_fashion_cnn_layout_matches_section_3_3():
    model = build_model("fashion_cnn", DATASETS["fashion_mnist"]).eval()
    convs = [m for m in model.features if isinstance(m, nn.Conv2d)]
    pools = [m for m in model.features if isinstance(m, nn.MaxPool2d)]
    drops = [m for m in model.features if isinstance(m, nn.Dropout)]
    assert [c.in_channels for c in convs] == [1, 32, 64] and convs[-1].out_channels == 64
    assert len(pools) == 3 and [d.p for d in drops] == [0.25, 0.25]
    assert [type(m) for m in model.features[-4:]] == [nn.Conv2d, nn.ReLU, nn.MaxPool2d, nn.Dropout]
    with torch.no_grad():
        _, latent = model(torch.rand(3, 1, 28, 28))
        # 28 -> 26 -> 13 -> 11 -> 5 -> 3 -> 1: the flattened map is the 64 channels, after ReLU
        assert model.features(torch.rand(3, 1, 28, 28)).shape == (3, 64, 1, 1)
        assert latent.shape == (3, 64) and (latent >= 0).all()


def test_models_fashion_cnn_dropout_is_active_only_in_training():
    torch.manual_seed(2)
    model = build_model("fashion_cnn", DATASETS["fashion_mnist"])
    x = torch.rand(4, 1, 28, 28)
    model.eval()
    with torch.no_grad():
        assert torch.equal(model(x)[1], model(x)[1])
        model.train()
        assert not torch.equal(model(x)[1], model(x)[1])


def test_models_vgg16_is_torchvision_vgg16_adapted_to_32px():
    model = build_model("vgg16", DATASETS["cifar10"])
    convs = [m for m in model.features if isinstance(m, nn.Conv2d)]
    linears = [m for m in model.classifier if isinstance(m, nn.Linear)]
    assert len(convs) == 13 and len(linears) == 3
    assert all(c.kernel_size == (3, 3) for c in convs)
    assert sum(isinstance(m, nn.MaxPool2d) for m in model.features) == 5
    assert linears[0].in_features == 512 and linears[-1].out_features == 10
    # torchvision's parameter names for the convolutional part
    import torchvision

    reference = torchvision.models.vgg16(weights=None)
    ours = {k: v.shape for k, v in model.state_dict().items() if k.startswith("features.")}
    theirs = {k: v.shape for k, v in reference.state_dict().items() if k.startswith("features.")}
    assert ours == theirs


def test_models_resnet50_has_cifar_stem_and_torchvision_body():
    model = build_model("resnet50", DATASETS["cifar100"])
    assert model.conv1.kernel_size == (3, 3) and model.conv1.stride == (1, 1)
    assert model.conv1.padding == (1, 1) and model.conv1.in_channels == 3
    assert isinstance(model.maxpool, nn.Identity)
    assert model.fc.in_features == 2048 and model.fc.out_features == 100
    import torchvision

    reference = torchvision.models.resnet50(weights=None, num_classes=100)
    ours = {k: v.shape for k, v in model.state_dict().items() if k != "conv1.weight"}
    theirs = {k: v.shape for k, v in reference.state_dict().items() if k != "conv1.weight"}
    assert ours == theirs


def test_models_construction_is_seeded():
    torch.manual_seed(5)
    a = build_model("fashion_cnn", DATASETS["fashion_mnist"]).state_dict()
    torch.manual_seed(5)
    b = build_model("fashion_cnn", DATASETS["fashion_mnist"]).state_dict()
    assert all(torch.equal(a[k], b[k]) for k in a)
