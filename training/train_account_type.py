"""The training command: ``python -m training.train_account_type --data ...``.

What it does and how: training/account_type/main.py.
"""

from training.account_type.main import main

if __name__ == "__main__":
    main()
