"""Pure, vectorised pandas transforms: records -> frames -> metrics -> scores. No IO beyond
reading the packaged weights in ``models/``; training and evaluation live in ``training/``.

Flows call ``transforms.score.score_creators``; the other modules are its steps:
frames (fixed dtypes), normalize, engagement, account_type (+ account_words), tiers, contacts.
Versions: engagement.METRICS_VERSION, account_model.MODEL_VERSION, tiers.TierScheme.label,
contacts.CONTACTS_VERSION.
"""
