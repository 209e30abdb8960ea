// Errors that cross into JavaScript. Every system error carries `code`
// ("EHOSTUNREACH"), `errno` and `syscall`, so the TypeScript layer can map it
// onto a typed class without parsing messages (the zeromq.js approach).
#pragma once
#include <napi.h>

namespace tipcrx {

// Symbolic name of an errno value ("EAGAIN"), or "E<n>" when unknown.
const char* ErrnoName(int err);

// A JS Error for a failed syscall, with code/errno/syscall set.
Napi::Error ErrnoError(Napi::Env env, int err, const char* syscall);

// Throw (as a C++ exception, caught by node-addon-api) the error above.
[[noreturn]] void ThrowErrno(Napi::Env env, int err, const char* syscall);

// A JS Error for a failed libuv call (`uvErr` negative, as libuv returns it):
// `code` is libuv's name for it ("EBADF"), `errno` the positive errno and
// `syscall` the libuv call, so it maps like any failed syscall.
Napi::Error UvError(Napi::Env env, int uvErr, const char* call);

// Throw a TypeError/RangeError with a stable `code` of our own.
[[noreturn]] void ThrowCode(Napi::Env env, const char* code, const char* message, bool range = false);

}  // namespace tipcrx
