"""Training of the follower model (real account or bought follower), one module a step:

- ``fit``: the feature matrix, the standardised logistic fit, its training.cv scorer;
- ``report``: the Markdown report;
- ``main``: reading the data, nested CV, the leave-one-source-out check, the final fit,
  writing the weights (``python -m training.train_followers``).
"""
