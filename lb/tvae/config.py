"""The ``vae:`` block of the workflow config: defaults and checks (:func:`check_vae_config`).

Keys (all optional; defaults in brackets). The seed paper (004) gives no hyper-parameters, so every
default below is our choice, documented where it is used:

``enabled`` [true]
    run the triplet-VAE study at all.
``dataset`` ["mnist"]
    ``mnist`` (the paper's data, 28×28) or ``digits`` (scikit-learn's 8×8 digits, for demos/tests).
``latent_dim`` [16]
    size of z (see :mod:`lb.tvae.model`).
``hidden`` [null]
    widths of the two hidden layers of encoder and decoder; null = (512, 256) for mnist,
    (128, 64) for digits.
``beta`` [1.0]
    weight of the KL term (Sect. 3.1, "KL divergence loss combined with β scalar").
``alpha`` [50.0]
    weight of the triplet term α (Sect. 3.1); the vanilla VAE uses 0. The triplet term is a
    mean hinge of order 1 while the reconstruction term is a sum over 784 pixels (≈ 130 nats), so
    α must be large to matter. Measured on MNIST (10,000 training images, 5 epochs, batch 128,
    latent 16, seed 0; test set): α = 0 → linear-SVM accuracy 83.6 %, silhouette(z^μ) 0.114,
    reconstruction 132.4; α = 1 → 84.3 %, 0.116, 128.7; α = 10 → 87.6 %, 0.168, 125.2;
    α = 50 → 93.3 %, 0.286, 129.3; α = 200 → 94.5 %, 0.382, 141.3. 50 is the largest value tried
    that separates the classes without costing reconstruction quality.
``margin`` [1.0]
    the triplet margin φ (Sect. 3.1).
``epochs`` [20], ``batch_size`` [128], ``lr`` [0.001]
    VAE training (Adam); one epoch = every training image once as an anchor.
``seed`` / ``seeds`` [seeds: [0]]
    one int or a list of ints (not both); each seed is a full repetition of the study (CNN, both
    VAEs, SVMs); the figures use the first seed.
``cnn_model`` [null]
    the CNN under test (an lb.models name); null = ``fashion_cnn`` for mnist,
    ``digits_cnn`` for digits.
``cnn_epochs`` [10], ``cnn_batch_size`` [128], ``cnn_lr`` [0.001]
    its training with the lb trainer (cross-entropy only, method ``baseline``).
``svm_c`` [1.0]
    the C of the linear SVM (:mod:`lb.tvae.svm`).
``traversal_steps`` [20]
    ε of Fig. 3: the path is sampled at ε + 1 evenly spaced points, both ends included.
``top_k`` [3]
    K most probable answers (Sect. 3.3) per disagreeing test image; also the traversal targets.
``n_examples`` [4]
    disagreeing test images shown in the traversal figures.
``tsne_points`` [5000]
    test points embedded by t-SNE (a deterministic stratified subset; null = all).
``train_limit`` / ``test_limit`` [null]
    keep a stratified subset of that many training / test images (null = all).

:func:`check_vae_config` returns a new dict with every key filled (``seed`` is replaced by
``seeds``; ``hidden`` and ``cnn_model`` are resolved for the dataset) and raises
:class:`lb.errors.ConfigError` with a one-line message naming ``vae.<key>`` on a bad value.
"""

from __future__ import annotations

from typing import Any

from lb.errors import ConfigError

DATASETS = ("mnist", "digits")
DEFAULT_HIDDEN = {"mnist": [512, 256], "digits": [128, 64]}
DEFAULT_CNN = {"mnist": "fashion_cnn", "digits": "digits_cnn"}
NUM_CLASSES = 10

DEFAULTS: dict[str, Any] = {
    "enabled": True,
    "dataset": "mnist",
    "latent_dim": 16,
    "hidden": None,
    "beta": 1.0,
    "alpha": 50.0,
    "margin": 1.0,
    "epochs": 20,
    "batch_size": 128,
    "lr": 1e-3,
    "seeds": [0],
    "cnn_model": None,
    "cnn_epochs": 10,
    "cnn_batch_size": 128,
    "cnn_lr": 1e-3,
    "svm_c": 1.0,
    "traversal_steps": 20,
    "top_k": 3,
    "n_examples": 4,
    "tsne_points": 5000,
    "train_limit": None,
    "test_limit": None,
}
ALLOWED = frozenset(DEFAULTS) | {"seed"}


def _fail(key: str, problem: str) -> ConfigError:
    return ConfigError(f"vae.{key}: {problem}")


def _int(block: dict, key: str, minimum: int, allow_none: bool = False) -> int | None:
    value = block[key]
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        none = " or null" if allow_none else ""
        raise _fail(key, f"expected an integer >= {minimum}{none}, got {value!r}")
    if value < minimum:
        raise _fail(key, f"must be >= {minimum}, got {value}")
    return value


def _float(block: dict, key: str, positive: bool) -> float:
    value = block[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(key, f"expected a number, got {value!r}")
    value = float(value)
    if value != value or value in (float("inf"), float("-inf")):
        raise _fail(key, f"must be finite, got {value}")
    if positive and value <= 0:
        raise _fail(key, f"must be > 0, got {value}")
    if not positive and value < 0:
        raise _fail(key, f"must be >= 0, got {value}")
    return value


def check_vae_config(block: dict | None) -> dict:
    """Fill the defaults of the ``vae:`` block and check every value (see the module docstring).

    Raises :class:`ConfigError` naming ``vae.<key>`` for unknown keys, wrong types and values
    out of range. The input is not modified.
    """
    if block is None:
        block = {}
    if not isinstance(block, dict):
        raise ConfigError(f"vae: expected a mapping of settings, got {type(block).__name__}")
    unknown = sorted(set(block) - ALLOWED)
    if unknown:
        raise _fail(unknown[0], f"unknown key; allowed keys: {', '.join(sorted(ALLOWED))}")
    if "seed" in block and "seeds" in block:
        raise _fail("seed", "give either vae.seed (one int) or vae.seeds (a list), not both")
    out = {**DEFAULTS, **{k: v for k, v in block.items() if k != "seed"}}
    if "seed" in block:
        out["seeds"] = [block["seed"]]

    if not isinstance(out["enabled"], bool):
        raise _fail("enabled", f"expected true or false, got {out['enabled']!r}")
    if out["dataset"] not in DATASETS:
        raise _fail("dataset", f"expected one of {', '.join(DATASETS)}, got {out['dataset']!r}")
    dataset = out["dataset"]

    for key in ("latent_dim", "epochs", "batch_size", "cnn_epochs", "cnn_batch_size"):
        out[key] = _int(out, key, 1)
    out["traversal_steps"] = _int(out, "traversal_steps", 1)
    out["top_k"] = _int(out, "top_k", 1)
    if out["top_k"] > NUM_CLASSES:
        raise _fail(
            "top_k", f"must be <= {NUM_CLASSES} (the number of classes), got {out['top_k']}"
        )
    out["n_examples"] = _int(out, "n_examples", 1)
    out["tsne_points"] = _int(out, "tsne_points", 50, allow_none=True)
    out["train_limit"] = _int(out, "train_limit", 2 * NUM_CLASSES, allow_none=True)
    out["test_limit"] = _int(out, "test_limit", NUM_CLASSES, allow_none=True)
    for key in ("beta", "alpha", "margin"):
        out[key] = _float(out, key, positive=False)
    for key in ("lr", "cnn_lr", "svm_c"):
        out[key] = _float(out, key, positive=True)

    seed_key = "seed" if "seed" in block else "seeds"
    seeds = out["seeds"]
    if not isinstance(seeds, list) or not seeds:
        raise _fail(seed_key, f"expected a non-empty list of integers >= 0, got {seeds!r}")
    for s in seeds:
        if isinstance(s, bool) or not isinstance(s, int) or s < 0:
            raise _fail(seed_key, f"expected integers >= 0, got {s!r}")
    if len(set(seeds)) != len(seeds):
        raise _fail(seed_key, f"seeds must be distinct, got {seeds}")
    out["seeds"] = list(seeds)

    hidden = out["hidden"]
    if hidden is None:
        hidden = DEFAULT_HIDDEN[dataset]
    if (
        not isinstance(hidden, list | tuple)
        or not hidden
        or any(isinstance(h, bool) or not isinstance(h, int) or h < 1 for h in hidden)
    ):
        raise _fail("hidden", f"expected a non-empty list of positive integers, got {hidden!r}")
    out["hidden"] = [int(h) for h in hidden]

    cnn = out["cnn_model"]
    if cnn is None:
        cnn = DEFAULT_CNN[dataset]
    if not isinstance(cnn, str) or not cnn:
        raise _fail("cnn_model", f"expected a model name such as fashion_cnn, got {cnn!r}")
    out["cnn_model"] = cnn
    return out


# The keys each workflow step depends on (its Snakemake params): a change reruns only the steps
# that use the key (e.g. a new top_k reruns the analysis, not the training).
STEP_KEYS: dict[str, tuple[str, ...]] = {
    "cnn": ("dataset", "cnn_model", "cnn_epochs", "cnn_batch_size", "cnn_lr", "train_limit",
            "test_limit"),
    "vae": ("dataset", "latent_dim", "hidden", "beta", "alpha", "margin", "epochs", "batch_size",
            "lr", "train_limit", "test_limit"),
}  # fmt: skip
STEP_KEYS["triplet"] = STEP_KEYS["vae"]
# the vanilla VAE has alpha = 0, so alpha and the margin do not change it
STEP_KEYS["vanilla"] = tuple(k for k in STEP_KEYS["vae"] if k not in ("alpha", "margin"))
STEP_KEYS["analysis"] = tuple(
    dict.fromkeys(
        STEP_KEYS["cnn"]
        + STEP_KEYS["vae"]
        + ("svm_c", "traversal_steps", "top_k", "n_examples", "tsne_points")
    )
)


def step_settings(block: dict, step: str) -> dict:
    """The checked block's keys that ``step`` (cnn, triplet, vanilla, analysis) depends on,
    sorted by name."""
    return {key: block[key] for key in sorted(STEP_KEYS[step])}
