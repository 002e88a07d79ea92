"""Streamlit pages: presentation only; every figure comes from core/."""
