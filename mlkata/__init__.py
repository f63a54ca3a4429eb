"""mlkata: an offline kata runner for practising ML algorithms in NumPy and PyTorch."""

__version__ = "0.1.0"
