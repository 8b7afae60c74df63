# lit configuration for toy's regression tests.
import os
import lit.formats

config.name = "toy"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".toy", ".test"]
config.excludes = ["Inputs", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.toy_obj_root, "test", "lit")

# `--param asan-toyc=PATH` runs the suite with that toyc, built with AddressSanitizer and
# UndefinedBehaviorSanitizer (CTest's lit-asan), in its own output directory. A test that
# cannot run under ASan (it reserves terabytes of address space) says `UNSUPPORTED: asan`.
asan_toyc = lit_config.params.get("asan-toyc")
if asan_toyc:
    config.toyc = asan_toyc
    config.test_exec_root = os.path.join(config.toy_obj_root, "test", "lit-asan")
    config.available_features.add("asan")
    # A report aborts toyc, so `not %toyc` fails too (llvm's `not` fails on a crash) instead
    # of taking the sanitizer's exit status for the expected diagnostic's.
    config.environment["ASAN_OPTIONS"] = "abort_on_error=1"
    config.environment["UBSAN_OPTIONS"] = "abort_on_error=1:print_stacktrace=1"

# Tools first from LLVM 19 (FileCheck, not, count, llvm-readelf, llvm-nm).
config.environment["PATH"] = os.pathsep.join(
    [config.llvm_tools_dir, config.environment.get("PATH", os.environ.get("PATH", ""))])
config.substitutions.append(("%toyc", config.toyc))
config.substitutions.append(("%FileCheck", os.path.join(config.llvm_tools_dir, "FileCheck")))
config.substitutions.append(("%examples", os.path.join(config.toy_src_root, "examples")))
config.substitutions.append(("%srcroot", config.toy_src_root))
config.substitutions.append(("%objroot", config.toy_obj_root))
# Programs must not depend on the caller's environment.
for var in ["GOMAXPROCS", "GODEBUG", "TOYTRACE"]:
    config.environment.pop(var, None)

# A CPU with what the runtime's AES hash needs (alginit's cpuHasAeshash: AES, SSSE3, SSE4.1).
try:
    with open("/proc/cpuinfo") as f:
        flags = next((l.split(":", 1)[1].split() for l in f if l.startswith("flags")), [])
    if {"aes", "ssse3", "sse4_1"} <= set(flags):
        config.available_features.add("aes")
except OSError:
    pass

if os.path.exists("/usr/bin/gdb"):
    config.available_features.add("gdb")

# Go itself, when installed, to cross-check program output (never needed to build toy).
import shutil
go = shutil.which("go") or next(
    (p for p in ["/usr/lib/go-1.19/bin/go", "/usr/local/go/bin/go"] if os.path.exists(p)), None)
if go:
    config.available_features.add("go")
    config.substitutions.append(("%go", go))

# Headless Chromium loads the page `toyc trace view` writes (CI installs it; tests that need
# it say `REQUIRES: chromium`).
chromium = shutil.which("chromium") or shutil.which("chromium-browser")
if chromium:
    config.available_features.add("chromium")
    config.substitutions.append(("%chromium", chromium))
