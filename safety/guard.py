"""A guard model, for deployments that can load one: Qwen3Guard-Gen reads the prompt as a moderator.

The offline policy (rules, rules of combination, the multilingual sentence encoder) is the
default and is measured on its own. A deployment with the weights adds a second opinion: a
small language model trained for moderation, which reads wordings no rule lists. It only adds
refusals; it never lets through what the offline layers refused.

Which model, and why: **Qwen/Qwen3Guard-Gen-0.6B** (Apache-2.0, no gate, no use restrictions
beyond the licence; 119 languages, English, French, Spanish and German among them; 0.6B
parameters, about 1.2 GB in bfloat16, fast enough on a CPU for one prompt). Meta's Llama Guard 3
1B was the other candidate: it is gated on the Hub and comes under the Llama 3.2 Community
Licence (an acceptable-use policy, "Built with Llama" attribution, a separate licence above 700
million monthly users), which a self-hosted open studio should not impose on its deployers.

How it is used, as its model card shows (github.com/QwenLM/Qwen3Guard, "Moderating User Prompt"):
the prompt as one user message through the tokenizer's own chat template (which carries the
moderation instructions), greedy generation of at most 128 tokens, and an answer of the form
"Safety: Unsafe\\nCategories: Violent". `parse_verdict` reads it with the card's patterns.
Unsafe refuses in the mapped category; Controversial refuses for teen accounts only.

Weights are never downloaded at run time here: `load_qwen3guard` reads the Hugging Face cache and,
offline or without the weights, raises `SafetyError("guard_unavailable")` saying how to get them.
Tests build the same Qwen3ForCausalLM class at toy size with random weights (`build_tiny_guard`),
the way the diffusion backend is tested.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from safety.errors import SafetyError
from settings import hub_cache_dir

MODEL_ID = "Qwen/Qwen3Guard-Gen-0.6B"
CONFIG_FILE = Path(__file__).parent / "guard_configs" / "qwen3guard-gen-0.6b.json"
MAX_NEW_TOKENS = 128  # the model card's value; a verdict is two short lines

_SAFETY = re.compile(r"Safety: (Safe|Unsafe|Controversial)")
_CATEGORY = re.compile(r"(Violent|Non-violent Illegal Acts|Sexual Content or Sexual Acts|PII|Suicide & Self-Harm"
                       r"|Unethical Acts|Politically Sensitive Topics|Copyright Violation|Jailbreak|None)")
# The guard's categories in the studio's (safety.policy.CATEGORIES). Copyright and jailbreak are
# not this studio's policy for a video prompt; a PII verdict is a real person's details.
GUARD_CATEGORIES: dict[str, str] = {
    "Violent": "violence",
    "Non-violent Illegal Acts": "dangerous",
    "Sexual Content or Sexual Acts": "sexual",
    "Suicide & Self-Harm": "self_harm",
    "Unethical Acts": "hate",
    "Politically Sensitive Topics": "impersonation",
    "PII": "real_person",
}


@dataclass(frozen=True)
class GuardVerdict:
    """What the guard said: "Safe", "Controversial", "Unsafe", or None when its answer had no
    verdict; its categories; and the answer as generated."""

    label: str | None
    categories: tuple[str, ...]
    raw: str

    def refused_categories(self, strict: bool) -> tuple[str, ...]:
        """The studio's categories this verdict refuses: Unsafe always, Controversial for teens."""
        if not (self.label == "Unsafe" or (strict and self.label == "Controversial")):
            return ()
        if not self.categories:  # unsafe, but it did not say why
            return ("moderation",)
        return tuple(dict.fromkeys(GUARD_CATEGORIES[c] for c in self.categories if c in GUARD_CATEGORIES))


def parse_verdict(content: str) -> GuardVerdict:
    label = _SAFETY.search(content)
    categories = tuple(c for c in _CATEGORY.findall(content) if c != "None")
    return GuardVerdict(label.group(1) if label else None, categories, content)


class PromptGuard(Protocol):
    """A moderation model behind the policy: one prompt in, one verdict out."""

    name: str

    def classify(self, prompt: str) -> GuardVerdict: ...


class Qwen3Guard:
    """Qwen3Guard-Gen with its tokenizer; pass them in (tests pass `build_tiny_guard()`), or use
    `load_qwen3guard` for the real weights."""

    def __init__(self, model: Any, tokenizer: Any, name: str = MODEL_ID, max_new_tokens: int = MAX_NEW_TOKENS):
        self.model, self.tokenizer, self.name, self.max_new_tokens = model, tokenizer, name, max_new_tokens

    def classify(self, prompt: str) -> GuardVerdict:
        import torch

        text = self.tokenizer.apply_chat_template([{"role": "user", "content": prompt}], tokenize=False)
        inputs = self.tokenizer([text], return_tensors="pt").to(self.model.device)
        with torch.inference_mode():
            generated = self.model.generate(**inputs, max_new_tokens=self.max_new_tokens, do_sample=False,
                                            pad_token_id=self.tokenizer.pad_token_id)
        answer = generated[0][inputs["input_ids"].shape[-1]:].tolist()
        return parse_verdict(self.tokenizer.decode(answer, skip_special_tokens=True))


def load_qwen3guard(model_id: str = MODEL_ID, device: str | None = None) -> Qwen3Guard:
    """The real guard from the Hugging Face cache; never downloads (the studio runs offline).

    Raises SafetyError("guard_unavailable") when the weights are not there, saying how to get them."""
    try:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer
    except ImportError as exc:  # pragma: no cover - torch and transformers are in requirements.txt
        raise SafetyError("guard_unavailable", f"the guard model needs torch and transformers: {exc}") from exc
    try:
        tokenizer = AutoTokenizer.from_pretrained(model_id, local_files_only=True)
        model = AutoModelForCausalLM.from_pretrained(model_id, local_files_only=True, dtype=torch.bfloat16)
    except (OSError, ValueError) as exc:
        raise SafetyError(
            "guard_unavailable",
            f"the guard model {model_id} is not in the Hugging Face cache ({hub_cache_dir()}). Download it where "
            f"there is network access (`hf download {model_id}`) and copy the cache here (or point HF_HOME at it), "
            f"or set CAMEO_PROMPT_GUARD=off to use the offline policy alone. ({type(exc).__name__})",
        ) from exc
    model.to(device or ("cuda" if torch.cuda.is_available() else "cpu")).eval()
    return Qwen3Guard(model, tokenizer, model_id)


def weights_cached(model_id: str = MODEL_ID) -> bool:
    """Whether the guard's config and weights are in the Hugging Face cache."""
    from huggingface_hub import try_to_load_from_cache

    found = [try_to_load_from_cache(model_id, name, cache_dir=hub_cache_dir()) for name in ("config.json",
                                                                                          "model.safetensors")]
    return all(isinstance(f, str) for f in found)


def guard_from_settings(mode: str, model_id: str = MODEL_ID) -> PromptGuard | None:
    """"off": no guard. "qwen3guard": the guard, or SafetyError when it cannot load. "auto": the
    guard when its weights are in the cache, else none (the offline policy alone, as by default)."""
    if mode == "off":
        return None
    if mode == "qwen3guard":
        return load_qwen3guard(model_id)
    if mode == "auto":
        if not weights_cached(model_id):  # checked without importing torch: the usual case, and fast
            return None
        try:
            return load_qwen3guard(model_id)
        except SafetyError:
            return None
    raise SafetyError("bad_setting", f"CAMEO_PROMPT_GUARD={mode!r}: expected auto, qwen3guard or off")


@lru_cache(maxsize=1)
def configured_guard() -> PromptGuard | None:
    """The guard the studio's settings ask for, loaded once per process."""
    from settings import load_settings

    settings = load_settings()
    return guard_from_settings(settings.prompt_guard, settings.prompt_guard_model)


# A tiny real guard for tests -----------------------------------------------------------------
_TINY_TEMPLATE = ("{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
                  "<|im_start|>assistant\n")


def _tiny_tokenizer() -> Any:
    """A character-level tokenizer with Qwen's special tokens and a ChatML template (the real
    guard's template also states the moderation policy; it ships with the weights)."""
    import string

    from tokenizers import Regex, Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<unk>"]
    chars = list(dict.fromkeys(string.printable + "éèàçùâêîôûäöüßñáíóú"))
    vocab = {token: i for i, token in enumerate(specials + chars)}
    tok = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Split(Regex("."), behavior="isolated")
    tok.add_special_tokens(specials[:3])
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|im_end|>", pad_token="<|endoftext|>",
                                        unk_token="<unk>")
    tokenizer.chat_template = _TINY_TEMPLATE
    return tokenizer


def build_tiny_guard(seed: int = 0) -> Qwen3Guard:
    """Qwen3ForCausalLM as configured for Qwen3Guard-Gen-0.6B (guard_configs/), scaled down to two
    layers of width 16 with random weights: the real class and code path, no download."""
    import torch
    from transformers import Qwen3Config, Qwen3ForCausalLM

    tokenizer = _tiny_tokenizer()
    real = {k: v for k, v in json.loads(CONFIG_FILE.read_text()).items() if not k.startswith("_")}
    tiny = {**real, "hidden_size": 16, "intermediate_size": 32, "num_hidden_layers": 2, "max_window_layers": 2,
            "num_attention_heads": 2, "num_key_value_heads": 1, "head_dim": 8, "max_position_embeddings": 4096,
            "vocab_size": len(tokenizer), "bos_token_id": tokenizer.pad_token_id,
            "eos_token_id": tokenizer.eos_token_id, "pad_token_id": tokenizer.pad_token_id}
    torch.manual_seed(seed)
    model = Qwen3ForCausalLM(Qwen3Config(**{k: v for k, v in tiny.items() if k not in ("architectures", "model_type")}))
    return Qwen3Guard(model.eval(), tokenizer, name="tiny-random-qwen3guard", max_new_tokens=8)
