/*
 * LD_PRELOAD shim for linux.uml: lets Debian's UML 6.1 run on hosts whose
 * XSAVE area is larger than the one UML knows about (Intel CPUs with AMX).
 *
 * Why: UML saves and restores each guest process's FPU state with
 * PTRACE_GETREGSET/SETREGSET(NT_X86_XSTATE), using a buffer sized for the
 * components it knows (x87 to AVX-512 and PKRU: 2696 bytes). GETREGSET with
 * a short buffer just truncates, but the host kernel's SETREGSET accepts only
 * a whole XSAVE buffer (count == the host's full size) and answers EFAULT
 * otherwise. On a host with AMX (11008 bytes) UML's first SETREGSET fails and
 * it panics: "userspace - ptrace set fp regs failed, errno = 14". Upstream UML
 * later sized the buffer from CPUID; bookworm ships only 6.1.
 *
 * What: a SETREGSET(NT_X86_XSTATE) shorter than the host's size is sent as a
 * full-size buffer: UML's bytes, then zeros, with the header's XSTATE_BV bits
 * of every component that does not fit in UML's bytes cleared, so the host
 * kernel loads those components in their init state. That is exact for the
 * guest: the components beyond UML's buffer are AMX tile config and data,
 * which a process must ask the kernel for (arch_prctl ARCH_REQ_XCOMP_PERM)
 * and UML's guest kernel never grants. Every other call passes through.
 *
 * Built by uml-run.sh (cc -shared) and preloaded only into linux.uml.
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/uio.h>

typedef long (*ptrace_fn)(int request, pid_t pid, void *addr, void *data);

enum { kXsaveHeaderOffset = 512, kProbeBytes = 64 * 1024 };

static size_t host_xstate_bytes; /* learnt from the first GETREGSET probe */
static unsigned char *full_buffer;

static ptrace_fn real_ptrace(void) {
  static ptrace_fn fn;
  if (!fn) fn = (ptrace_fn)dlsym(RTLD_NEXT, "ptrace");
  return fn;
}

/* The host's whole XSAVE size for this tracee: GETREGSET reports how many
 * bytes it filled, and a 64 KiB buffer is larger than any XSAVE area. */
static size_t probe_host_size(pid_t pid) {
  if (host_xstate_bytes) return host_xstate_bytes;
  unsigned char *probe = malloc(kProbeBytes);
  if (!probe) return 0;
  struct iovec iov = {probe, kProbeBytes};
  if (real_ptrace()(PTRACE_GETREGSET, pid, (void *)(uintptr_t)NT_X86_XSTATE, &iov) == 0)
    host_xstate_bytes = iov.iov_len;
  free(probe);
  return host_xstate_bytes;
}

/* Clears XSTATE_BV bits of the components (standard format, offsets from
 * CPUID leaf 0xD) that end beyond the first `kept` bytes. */
static void init_components_beyond(unsigned char *buffer, size_t kept) {
  uint64_t bv;
  memcpy(&bv, buffer + kXsaveHeaderOffset, sizeof bv);
  for (unsigned component = 2; component < 63; component++) {
    if (!(bv & (1ULL << component))) continue;
    unsigned size, offset, ecx, edx;
    if (!__get_cpuid_count(0xD, component, &size, &offset, &ecx, &edx)) continue;
    if ((size_t)offset + size > kept) bv &= ~(1ULL << component);
  }
  memcpy(buffer + kXsaveHeaderOffset, &bv, sizeof bv);
}

/* Sends a short XSTATE buffer as a whole one into *result; false when the
 * call needs no help (or none can be given) and should pass through. */
static int set_short_xstate(pid_t pid, const struct iovec *iov, long *result) {
  size_t host = probe_host_size(pid);
  if (host <= iov->iov_len || iov->iov_len < kXsaveHeaderOffset + 64) return 0;
  if (!full_buffer) full_buffer = malloc(host);
  if (!full_buffer) return 0;
  memset(full_buffer, 0, host);
  memcpy(full_buffer, iov->iov_base, iov->iov_len);
  init_components_beyond(full_buffer, iov->iov_len);
  struct iovec whole = {full_buffer, host};
  *result = real_ptrace()(PTRACE_SETREGSET, pid, (void *)(uintptr_t)NT_X86_XSTATE, &whole);
  return 1;
}

long ptrace(enum __ptrace_request request, ...) {
  va_list args;
  va_start(args, request);
  pid_t pid = va_arg(args, pid_t);
  void *addr = va_arg(args, void *);
  void *data = va_arg(args, void *);
  va_end(args);
  long result;
  if (request == PTRACE_SETREGSET && (uintptr_t)addr == NT_X86_XSTATE && data &&
      set_short_xstate(pid, (const struct iovec *)data, &result))
    return result;
  return real_ptrace()(request, pid, addr, data);
}
