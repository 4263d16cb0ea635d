//! Data tests as Apache DataFusion queries (PRODUCT.md §14): in progress.
