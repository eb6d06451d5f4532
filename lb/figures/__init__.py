"""lb.figures: the report's figures (matplotlib without pyplot, seaborn palettes).

One concept per module:
    tsne             openTSNE embedding with the paper's "standard initialization, fixed seed"
    figure3          Figure 3: t-SNE grid of the best trial per method and dataset
    pca_dims         PCA dimension of Eq 8 over the epochs
    learning_curves  validation accuracy and training loss per epoch
    lambda_sweep     accuracy against λ, ours and the paper's (Tables 2-3)
    grad_norm        distance-term gradient norm per epoch (beyond the paper)
    select           the best trial per method (Table 4 runs: lb.tables.table4_runs)
    histories        per-run history.csv gathered into one table
    save             PNG output through lb.io (atomic)
    build            the figure rules' entry points (PNG + the data as CSV), partial ones too
"""
