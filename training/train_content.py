"""The training command: ``python -m training.train_content --data ../shared/datasets``.

What it does and how: training/content/main.py.
"""

from training.content.main import main

if __name__ == "__main__":
    main()
