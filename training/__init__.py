"""Model training and evaluation, outside the pipeline.

``train_account_type`` (the command; the steps are in ``account_type/``) fits the account-type model on the real labeled data beside the checkout
and writes its weights and report into ``transforms/models/``; ``eval_sandbox`` scores the
sandbox universe against its ground truth; ``first_names`` is the built-in first-name list the
trainer folds into the weights. Nothing in flows/, scrapers/, transforms/ or warehouse/ imports
this package; it may import theirs.
"""
