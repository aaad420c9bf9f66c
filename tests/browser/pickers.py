"""Choosing in a searchable picker (focus.pickers) as a person does from the keyboard: type
part of the name, see the option, press Enter, see it chosen."""

from playwright.sync_api import Page, expect


def choose(page: Page, field_id: str, typed: str, label: str) -> None:
    """Type `typed` in the picker of the field whose id is `field_id` and choose `label`."""
    box = page.locator(f"#{field_id}-ts-control")
    box.focus()
    box.press_sequentially(typed)
    dropdown = page.locator(f"#{field_id}-ts-dropdown")
    expect(dropdown.locator(".option.active")).to_have_text(label)
    box.press("Enter")
    wrapper = page.locator(".ts-wrapper", has=box)
    expect(wrapper.locator(".item", has_text=label)).to_be_visible()
