"""The range of a run's seed: NumPy's global seed (``np.random.seed``, used by
:func:`lb.device.seed_everything`) takes 32 bits. A leaf module, so that the config check can
refuse a seed before any job without importing torch."""

MAX_SEED = 2**32 - 1
