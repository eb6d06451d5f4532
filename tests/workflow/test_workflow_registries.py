"""lb.workflow.registries keeps torch-free copies of the library's names: they must match."""

from lb.data import DATASETS as DATA_SPECS
from lb.losses import METHODS as LOSS_METHODS
from lb.losses.registry import METHOD_FAMILY as LOSS_METHOD_FAMILY
from lb.models import MODELS as MODEL_INFOS
from lb.models import build_model
from lb.workflow import registries


def test_datasets_match_lb_data():
    assert set(registries.DATASETS) == set(DATA_SPECS), "update lb/workflow/registries.py"
    for name, spec in DATA_SPECS.items():
        assert registries.DATASETS[name] == (spec.channels, spec.image_size, spec.num_classes)


def test_models_match_lb_models():
    assert set(registries.MODELS) == set(MODEL_INFOS), "update lb/workflow/registries.py"
    for name, info in MODEL_INFOS.items():
        assert registries.MODELS[name] == (info.in_channels, tuple(info.image_sizes))


def test_methods_and_families_match_lb_losses():
    assert registries.METHODS == tuple(LOSS_METHODS)
    expected = {m: (entry[0] if entry else None) for m, entry in LOSS_METHOD_FAMILY.items()}
    assert registries.METHOD_FAMILY == expected


def test_misfit_agrees_with_build_model():
    """model_misfit says "fits" exactly when lb.models.build_model accepts the pair."""
    from lb.errors import ConfigError

    for model in MODEL_INFOS:
        for dataset in DATA_SPECS:
            misfit = registries.model_misfit(model, dataset)
            if misfit is None:
                continue  # building every fitting model (ResNet-50) is slow; misfits are cheap
            try:
                build_model(model, dataset)
            except ConfigError:
                pass
            else:
                raise AssertionError(
                    f"{model} on {dataset}: build_model accepted, we said {misfit}"
                )
    assert registries.fitting_models("digits") == ["digits_cnn"]
    assert set(registries.fitting_models("cifar100")) == {"vgg16", "resnet50"}
