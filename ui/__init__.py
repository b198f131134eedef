"""The studio's Gradio tabs: layout and wiring only. Every rule lives in identity/, pipeline/ and safety/."""
