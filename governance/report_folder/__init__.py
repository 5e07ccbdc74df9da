"""Publishing a report folder: the whole set at once, beside nothing it did not write.

See `publishing` for the scheme; `index`, `lock`, `swap`, `leftovers` and `targets` are its
parts."""
