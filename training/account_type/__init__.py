"""Training of the account-type model, one module a step:

- ``lexicon``: the first-name lexicon folded into the weights;
- ``fit``: hyper-parameters, the feature matrix, the MAP logistic fit and Platt scaling;
- ``evaluate``: folds, grid selection, nested cross-validation, metrics, the learning curve;
- ``report``: the Markdown report;
- ``main``: reading the data, the final fit, writing the weights (``python -m
  training.train_account_type``).
"""
