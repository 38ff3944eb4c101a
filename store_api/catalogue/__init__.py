"""The catalogue: factories' products, their price ladders and pictures, zones and shelf slots."""
