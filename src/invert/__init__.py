"""INVERT: investigative analytics against labour exploitation and trafficking in human beings."""

__version__ = "0.1.0"
