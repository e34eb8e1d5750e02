"""Auto-graded PyTorch homework for the course "Нейронные сети в машинном обучении"."""

__version__ = "0.1.0"
