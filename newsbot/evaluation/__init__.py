"""Measuring newsbot: conflict detection on RGB (`newsbot eval rgb`) and speed and memory (`newsbot bench`)."""
