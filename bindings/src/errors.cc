#include "errors.h"

#include <errno.h>
#include <linux/tipc.h>
#include <string.h>

#include <string>

#include <uv.h>

namespace tipcrx {

const char* ErrnoName(int err) {
  switch (err) {
#define E(name) case name: return #name;
    E(EAGAIN) E(EINPROGRESS) E(EALREADY) E(EHOSTUNREACH) E(ECONNRESET) E(ECONNREFUSED)
    E(ECONNABORTED) E(ENOTCONN) E(EISCONN) E(EPIPE) E(EMSGSIZE) E(EINVAL) E(EBADF)
    E(EADDRINUSE) E(EADDRNOTAVAIL) E(EAFNOSUPPORT) E(EPROTONOSUPPORT) E(ESOCKTNOSUPPORT)
    E(EOPNOTSUPP) E(ENOPROTOOPT) E(EACCES) E(EPERM) E(ENOMEM) E(ENOBUFS) E(EFAULT)
    E(EINTR) E(ETIMEDOUT) E(ENOENT) E(EMFILE) E(ENFILE) E(ENOTSOCK) E(ENXIO) E(ELOOP)
    E(EDESTADDRREQ) E(ENETUNREACH) E(EHOSTDOWN) E(ENODEV) E(EBUSY) E(ERANGE) E(EDOM)
#undef E
    default: return nullptr;
  }
}

// libc texts for TIPC errors are misleading ("No route to host" when nobody
// has bound the name), so the common ones get messages in TIPC's terms.
static std::string Describe(int err) {
  switch (err) {
    case EHOSTUNREACH: return "no socket is bound to the destination name";
    case EAFNOSUPPORT: return "the kernel has no TIPC support (module tipc not loaded or not built)";
    case ECONNREFUSED: return "no server is listening on the destination name";
    case ECONNRESET: return "the peer closed or lost the connection";
    case EMSGSIZE: return "message larger than TIPC allows (" + std::to_string(TIPC_MAX_USER_MSG_SIZE) + " bytes)";
    default: return strerror(err);
  }
}

Napi::Error ErrnoError(Napi::Env env, int err, const char* syscall) {
  const char* name = ErrnoName(err);
  std::string code = name ? name : "E" + std::to_string(err);
  std::string message = std::string(syscall) + " " + code + ": " + Describe(err);
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, code));
  error.Set("errno", Napi::Number::New(env, err));
  error.Set("syscall", Napi::String::New(env, syscall));
  return error;
}

void ThrowErrno(Napi::Env env, int err, const char* syscall) {
  throw ErrnoError(env, err, syscall);
}

Napi::Error UvError(Napi::Env env, int uvErr, const char* call) {
  std::string code = uv_err_name(uvErr);
  std::string message = std::string(call) + " " + code + ": " + uv_strerror(uvErr);
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, code));
  // libuv's codes are the negated errno values on Unix.
  error.Set("errno", Napi::Number::New(env, -uvErr));
  error.Set("syscall", Napi::String::New(env, call));
  return error;
}

void ThrowCode(Napi::Env env, const char* code, const char* message, bool range) {
  Napi::Error error = range ? Napi::Error(Napi::RangeError::New(env, message))
                            : Napi::Error(Napi::TypeError::New(env, message));
  error.Set("code", Napi::String::New(env, code));
  throw error;
}

}  // namespace tipcrx
