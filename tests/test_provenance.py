"""Content Credentials: the demo chain, signing a real H.264/AAC clip, and what tampering or a remux does."""
from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import stat
import struct
import subprocess
import sys
from pathlib import Path

import av
import cv2
import numpy as np
import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from safety import invisible_mark as im
from safety import provenance as pv
from safety.errors import SafetyError

ROOT = Path(__file__).resolve().parents[1]
VIDEO = ROOT / "tests" / "fixtures" / "videos" / "liveportrait_woman_earrings_d3.mp4"
CLIP_ID = "3f9a0c41d2e87b65"
RECORDS = (("c1a2b3:1763770000.5", hashlib.sha256(b"consent record one").hexdigest()),
           ("d4e5f6:1763770100.0:r9", hashlib.sha256(b"consent record two").hexdigest()))


def fixture_frames(n: int, size: tuple[int, int] = (512, 512)) -> np.ndarray:
    with av.open(str(VIDEO)) as c:
        frames = [f.to_ndarray(format="rgb24") for _, f in zip(range(n), c.decode(video=0))]
    return np.stack([cv2.resize(f, size, interpolation=cv2.INTER_AREA) for f in frames])


def write_mp4(path: Path, frames: np.ndarray, fps: int = 16, crf: int = 23) -> Path:
    """H.264 (yuv420p) + AAC mono with a 440 Hz tone: the shape of a studio clip."""
    rate = 16000
    with av.open(str(path), "w", format="mp4") as out:
        vs = out.add_stream("libx264", rate=fps)
        vs.width, vs.height, vs.pix_fmt = frames.shape[2], frames.shape[1], "yuv420p"
        vs.options = {"crf": str(crf)}
        aus = out.add_stream("aac", rate=rate, layout="mono")
        for f in frames:
            for p in vs.encode(av.VideoFrame.from_ndarray(f, format="rgb24")):
                out.mux(p)
        for p in vs.encode():
            out.mux(p)
        t = np.arange(int(rate * len(frames) / fps)) / rate
        pcm = (0.2 * 32767 * np.sin(2 * np.pi * 440 * t)).astype(np.int16)
        for k in range(0, len(pcm), 1024):
            af = av.AudioFrame.from_ndarray(pcm[None, k : k + 1024], format="s16", layout="mono")
            af.sample_rate, af.pts = rate, k
            for p in aus.encode(af):
                out.mux(p)
        for p in aus.encode():
            out.mux(p)
    return path


def remux(src: Path, dst: Path) -> Path:
    """Stream copy into a new mp4, as any re-upload tool does: same media, new container."""
    with av.open(str(src)) as inp, av.open(str(dst), "w", format="mp4") as out:
        streams = {s.index: out.add_stream_from_template(s) for s in inp.streams if s.type in ("video", "audio")}
        for packet in inp.demux(*inp.streams):
            if packet.dts is None or packet.stream.index not in streams:
                continue
            packet.stream = streams[packet.stream.index]
            out.mux(packet)
    return dst


def top_level_box(data: bytes, kind: bytes) -> tuple[int, int]:
    """(offset, size) of the first top-level ISO BMFF box of this kind."""
    offset = 0
    while offset < len(data):
        size, box = struct.unpack(">I4s", data[offset : offset + 8])
        if size == 1:
            size = struct.unpack(">Q", data[offset + 8 : offset + 16])[0]
        if box == kind:
            return offset, size
        offset += size
    raise AssertionError(f"no {kind!r} box")


def info(**changes) -> pv.ProvenanceInfo:
    fields = dict(clip_id=CLIP_ID, title="Alice and Bob at the beach", creator_handle="alice",
                  backend="preview", model="cameo-preview-renderer-1",
                  prompt_sha256=hashlib.sha256(b"a prompt").hexdigest(),
                  consent_records=RECORDS, studio_version="0.1.0")
    return pv.ProvenanceInfo(**{**fields, **changes})


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("provenance")


@pytest.fixture(scope="module")
def identity(folder: Path) -> pv.SigningIdentity:
    return pv.ensure_demo_certs(folder / "c2pa")


@pytest.fixture(scope="module")
def unsigned(folder: Path) -> Path:
    return write_mp4(folder / "clip.mp4", fixture_frames(24))


@pytest.fixture(scope="module")
def signed(folder: Path, unsigned: Path, identity: pv.SigningIdentity) -> Path:
    dst = folder / "signed.mp4"
    pv.sign_clip(unsigned, dst, identity, info())
    return dst


def tampered(signed: Path, tmp_path: Path, offset: int, new: bytes) -> Path:
    data = bytearray(signed.read_bytes())
    data[offset : offset + len(new)] = new
    out = tmp_path / "tampered.mp4"
    out.write_bytes(bytes(data))
    return out


def test_signed_clip_reads_trusted_with_its_consent_records(signed, identity):
    r = pv.read_clip(signed, identity.trust_anchor_pem)
    assert (r.present, r.state, r.failures) == (True, "Trusted", ())
    assert r.consent_records == RECORDS
    assert (r.clip_id, r.creator_handle, r.title) == (CLIP_ID, "@alice", "Alice and Bob at the beach")
    assert r.signer == pv.DEMO_ORG
    [created] = r.actions
    assert created.action == "c2pa.created"
    assert created.digital_source_type == pv.TRAINED_ALGORITHMIC_MEDIA
    assert created.software_agent == "cameo-preview-renderer-1"
    assert created.parameters == {"backend": "preview", "model": "cameo-preview-renderer-1",
                                  "prompt_sha256": hashlib.sha256(b"a prompt").hexdigest()}


def test_signing_keeps_the_media_playable(signed, unsigned):
    with av.open(str(signed)) as a, av.open(str(unsigned)) as b:
        assert [s.type for s in a.streams] == [s.type for s in b.streams] == ["video", "audio"]
        assert sum(1 for _ in a.decode(video=0)) == 24


def test_without_the_studio_root_the_signature_is_valid_but_untrusted(signed):
    r = pv.read_clip(signed)
    assert (r.present, r.state) == (True, "Valid")
    assert "signingCredential.untrusted" in r.failures
    assert r.consent_records == RECORDS


def test_changed_media_bytes_read_invalid(signed, identity, tmp_path):
    data = signed.read_bytes()
    mdat, size = top_level_box(data, b"mdat")
    at = mdat + size // 2
    bad = tampered(signed, tmp_path, at, bytes(b ^ 0xFF for b in data[at : at + 4]))
    r = pv.read_clip(bad, identity.trust_anchor_pem)
    assert (r.present, r.state) == (True, "Invalid")
    assert "assertion.bmffHash.mismatch" in r.failures


def test_changed_consent_assertion_reads_invalid(signed, identity, tmp_path):
    data = signed.read_bytes()
    digest = RECORDS[1][1].encode()
    at = data.index(digest)  # the assertion's CBOR holds the hex digest as a text string
    uuid_box, size = top_level_box(data, b"uuid")
    assert uuid_box < at < uuid_box + size  # inside the manifest store, not the media
    forged = digest[:10] + (b"0" if digest[10:11] != b"0" else b"1") + digest[11:]
    r = pv.read_clip(tampered(signed, tmp_path, at, forged), identity.trust_anchor_pem)
    assert (r.present, r.state) == (True, "Invalid")
    assert "assertion.hashedURI.mismatch" in r.failures


def test_unsigned_clip_reads_absent(unsigned, identity):
    r = pv.read_clip(unsigned, identity.trust_anchor_pem)
    assert (r.present, r.state, r.clip_id) == (False, "absent", None)


def test_a_file_that_is_no_video_is_refused(tmp_path):
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"not a video " * 100)
    with pytest.raises(SafetyError) as e:
        pv.read_clip(junk)
    assert e.value.code == "bad_video"


def test_remux_strips_the_manifest_and_the_invisible_mark_still_names_the_clip(folder, identity, tmp_path):
    frames = im.embed_frames(fixture_frames(24, size=(832, 480)), CLIP_ID)
    clip = write_mp4(tmp_path / "marked.mp4", frames, crf=28)
    signed = tmp_path / "marked-signed.mp4"
    pv.sign_clip(clip, signed, identity, info())
    assert pv.read_clip(signed, identity.trust_anchor_pem).state == "Trusted"
    copy = remux(signed, tmp_path / "reupload.mp4")
    assert pv.read_clip(copy, identity.trust_anchor_pem).present is False
    mark = im.decode_video(copy)
    assert (mark.found, mark.clip_id) == (True, CLIP_ID)


def test_demo_chain_files_permissions_and_extensions(folder, identity):
    certs = folder / "c2pa"
    key = certs / pv.KEY_FILE
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(certs.stat().st_mode) == 0o700
    leaf, inter = x509.load_pem_x509_certificates((certs / pv.CHAIN_FILE).read_bytes())
    root = x509.load_pem_x509_certificate((certs / pv.ROOT_FILE).read_bytes())
    assert identity.trust_anchor_pem == (certs / pv.ROOT_FILE).read_text()
    assert identity.alg == "es256" and leaf.public_key().curve.name == "secp256r1"
    ext = leaf.extensions
    assert ext.get_extension_for_class(x509.KeyUsage).value.digital_signature
    assert not ext.get_extension_for_class(x509.KeyUsage).value.key_cert_sign
    assert list(ext.get_extension_for_class(x509.ExtendedKeyUsage).value) == [ExtendedKeyUsageOID.EMAIL_PROTECTION]
    assert ext.get_extension_for_class(x509.BasicConstraints).value.ca is False
    ski = ext.get_extension_for_class(x509.SubjectKeyIdentifier).value
    aki = ext.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    assert ski.digest == x509.SubjectKeyIdentifier.from_public_key(leaf.public_key()).digest
    assert aki.key_identifier == inter.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    assert leaf.issuer == inter.subject and inter.issuer == root.subject == root.issuer
    assert inter.subject != inter.issuer  # the chain file is leaf + intermediate: the root stays out
    for cert in (inter, root):
        assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
    years = lambda c: (c.not_valid_after_utc - dt.datetime.now(dt.timezone.utc)).days / 365.25
    assert years(leaf) > 9.9 and years(inter) > years(leaf) and years(root) > years(inter)


def test_second_start_loads_the_same_chain(folder, identity):
    again = pv.ensure_demo_certs(folder / "c2pa")
    assert again.cert_chain_pem == identity.cert_chain_pem
    assert again.trust_anchor_pem == identity.trust_anchor_pem


def test_a_half_present_chain_is_an_error_not_a_new_root(tmp_path):
    first = pv.ensure_demo_certs(tmp_path / "c2pa")
    (tmp_path / "c2pa" / pv.KEY_FILE).unlink()
    with pytest.raises(SafetyError) as e:
        pv.ensure_demo_certs(tmp_path / "c2pa")
    assert e.value.code == "incomplete_certificates"
    assert (tmp_path / "c2pa" / pv.ROOT_FILE).read_text() == first.trust_anchor_pem


def test_a_deployment_chain_with_its_root_appended_signs_without_the_root(folder, identity, unsigned, tmp_path):
    certs = folder / "c2pa"
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes((certs / pv.CHAIN_FILE).read_bytes() + (certs / pv.ROOT_FILE).read_bytes())
    loaded = pv.load_signing_identity(bundle, certs / pv.KEY_FILE)
    assert loaded.cert_chain_pem == identity.cert_chain_pem
    assert loaded.trust_anchor_pem == identity.trust_anchor_pem
    pv.sign_clip(unsigned, tmp_path / "out.mp4", loaded, info())
    assert pv.read_clip(tmp_path / "out.mp4", loaded.trust_anchor_pem).state == "Trusted"


def test_a_key_that_is_not_the_leafs_is_refused(folder, tmp_path):
    other = pv.ensure_demo_certs(tmp_path / "other")
    with pytest.raises(SafetyError) as e:
        pv.load_signing_identity(folder / "c2pa" / pv.CHAIN_FILE, tmp_path / "other" / pv.KEY_FILE)
    assert e.value.code == "bad_certificate"
    assert other.cert_chain_pem != pv.ensure_demo_certs(folder / "c2pa").cert_chain_pem


def test_records_must_be_ids_with_sha256_digests():
    with pytest.raises(SafetyError):
        info(consent_records=(("c1", "not a digest"),))
    with pytest.raises(SafetyError):
        info(prompt_sha256="a prompt in clear text")


def test_signing_and_reading_open_no_network_socket(folder, unsigned, tmp_path):
    """No TSA, no OCSP, no remote manifest: the syscalls say so."""
    strace = shutil.which("strace")
    if strace is None:
        pytest.skip("strace is not installed")
    script = (
        "import sys; from pathlib import Path; from safety import provenance as pv; "
        "from tests.test_provenance import info; "
        f"i = pv.ensure_demo_certs(Path({str(folder / 'c2pa')!r})); "
        f"pv.sign_clip(Path({str(unsigned)!r}), Path({str(tmp_path / 'o.mp4')!r}), i, info()); "
        f"assert pv.read_clip(Path({str(tmp_path / 'o.mp4')!r}), i.trust_anchor_pem).state == 'Trusted'"
    )
    log = tmp_path / "strace.log"
    run = subprocess.run([strace, "-f", "-e", "trace=socket,connect", "-o", str(log), sys.executable, "-c", script],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    if run.returncode != 0 and "ptrace" in run.stderr.lower():
        pytest.skip("ptrace is not permitted here")
    assert run.returncode == 0, run.stderr[-2000:]
    calls = [line for line in log.read_text().splitlines() if "socket(" in line or "connect(" in line]
    assert not [c for c in calls if "AF_INET" in c or "AF_INET6" in c], calls


def test_every_manifest_declares_both_marks_as_soft_bindings_and_signing_returns_it(unsigned, identity, tmp_path):
    manifest = pv.sign_clip(unsigned, tmp_path / "s.mp4", identity, info())
    read = pv.read_clip(tmp_path / "s.mp4", identity.trust_anchor_pem)
    assert set(read.soft_bindings) == {(pv.VIDEO_MARK_ALG, CLIP_ID), (pv.AUDIO_MARK_ALG, CLIP_ID)}
    assert manifest.clip_id == CLIP_ID and len(manifest.manifest_store) > 1000
    kept = pv.reading_from_report(manifest.report_json)  # what the studio keeps reads as it did at signing
    assert (kept.state, kept.clip_id, kept.consent_records) == ("Trusted", CLIP_ID, RECORDS)
    assert set(kept.soft_bindings) == set(read.soft_bindings)
