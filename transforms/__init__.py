"""Pure, vectorised pandas transforms: records -> frames -> metrics -> scores. No IO.

Flows call ``transforms.score.score_creators``; the other modules are its steps:
frames (fixed dtypes), normalize, engagement, account_type (+ account_words, first_names),
tiers, contacts. Versions: engagement.METRICS_VERSION, account_type.MODEL_VERSION,
tiers.TierScheme.label, contacts.CONTACTS_VERSION, first_names.FIRST_NAMES_VERSION.
"""
