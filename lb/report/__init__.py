"""lb.report: the HTML report (docs/architecture.md).

One concept per module:
    cells       one table cell: ours (mean ± std, n) beside the paper's value, or why not
    layout      Tables 2-5 and the ablation laid out like the paper's
    claims      the papers' claims (a)-(g) tested on the data (the only place that judges them
                for the report)
    sensitivity  claims (a)-(c) again with Latent Boost runs made under another setting
    claim_row   one tested statement (our and the paper's statistics) and claims.csv
    published_notes  where the published numbers contradict themselves
    embed       PNG figures as base64 data URIs
    provenance  git commit, config hash, package versions, device, date
    setup_section  the "Setup" section: this run's settings beside the papers'
    context     everything the templates print
    render      Jinja2 (StrictUndefined, autoescape) into one self-contained HTML file
    build       the report rules' entry points (full and partial report)
    rerender    render a published run's report again from its published files
    publish     copy a finished run's report and tidy data into a folder for readers
    claims_markdown  claims.csv as a Markdown table for a publication's README
"""
