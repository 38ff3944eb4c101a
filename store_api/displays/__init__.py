"""Zone screens: what each shows (pins, bestsellers, the ticker) and the screens themselves."""
