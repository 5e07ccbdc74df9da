"""Loading and validating the user's YAML inputs: manifest, policies, waivers."""
