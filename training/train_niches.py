"""The training command: ``python -m training.train_niches --data ../shared/datasets``.

What it does and how: training/niches/main.py.
"""

from training.niches.main import main

if __name__ == "__main__":
    main()
