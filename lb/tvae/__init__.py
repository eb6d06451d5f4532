"""lb.tvae: the triplet-VAE study (docs/contracts.md lists its modules).

One module per workflow step: :mod:`~lb.tvae.cnn`, :mod:`~lb.tvae.vaes`,
:mod:`~lb.tvae.analysis` (with :mod:`~lb.tvae.explanations`), :mod:`~lb.tvae.figures`,
:mod:`~lb.tvae.context`. The triplet weight α is chosen on a validation split of the MNIST
training set by :mod:`lb.tvae.alpha_sweep` (docs/tvae_alpha.md); the test set is kept for the
study's measurements and the report's verdicts.
"""
