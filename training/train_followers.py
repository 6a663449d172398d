"""The training command: ``python -m training.train_followers --data ...``.

What it does and how: training/followers/main.py.
"""

from training.followers.main import main

if __name__ == "__main__":
    main()
