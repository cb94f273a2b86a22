"""The start page: what is mine and due soon, and for readers an overview of everything."""
