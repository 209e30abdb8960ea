#include "socket.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/tipc.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "address.h"
#include "errors.h"
#include "receive_batch.h"

namespace tipcrx {

Napi::Function Socket::Define(Napi::Env env) {
  return DefineClass(env, "NativeSocket", {
    InstanceMethod<&Socket::Close>("close"),
    InstanceAccessor<&Socket::GetFd>("fd"),
    InstanceMethod<&Socket::SetPoll>("setPoll"),
    InstanceMethod<&Socket::SetRef>("setRef"),
    InstanceMethod<&Socket::Bind>("bind"),
    InstanceMethod<&Socket::GetSockName>("getsockname"),
    InstanceMethod<&Socket::GetPeerName>("getpeername"),
    InstanceMethod<&Socket::SetOption>("setOption"),
    InstanceMethod<&Socket::GetOption>("getOption"),
    InstanceMethod<&Socket::Join>("join"),
    InstanceMethod<&Socket::Leave>("leave"),
    InstanceMethod<&Socket::Listen>("listen"),
    InstanceMethod<&Socket::Accept>("accept"),
    InstanceMethod<&Socket::Connect>("connect"),
    InstanceMethod<&Socket::ConnectResult>("connectResult"),
    InstanceMethod<&Socket::Shutdown>("shutdown"),
    InstanceMethod<&Socket::SendTo>("sendto"),
    InstanceMethod<&Socket::SendBatch>("sendBatch"),
    InstanceMethod<&Socket::Receive>("receive"),
    InstanceMethod<&Socket::Borrow>("borrow"),
  });
}

// A socket belongs to the network namespace it was created in, and in TIPC a
// namespace is a node. Creating one in another namespace (setns on this
// thread only, then back) lets one process hold sockets on several nodes of
// a netns cluster: how the kernel conformance suite runs multi-node in one
// process. Needs CAP_SYS_ADMIN. Returns the fd, or -errno.
static int SocketInNamespace(const std::string& path, int type) {
  int target = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (target < 0) return -errno;
  int home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (home < 0) {
    int err = errno;
    close(target);
    return -err;
  }
  int fd = -EINVAL;
  if (setns(target, CLONE_NEWNET) < 0) {
    fd = -errno;
  } else {
    fd = socket(AF_TIPC, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) fd = -errno;
    if (setns(home, CLONE_NEWNET) < 0) abort();  // cannot go on in the wrong namespace
  }
  close(target);
  close(home);
  return fd;
}

// new NativeSocket(sockType, fd, onEvent, netnsPath?): fd < 0 creates a
// socket (in the named network namespace, if given), else adopts an
// accepted one.
Socket::Socket(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Socket>(info) {
  Napi::Env env = info.Env();
  type_ = info[0].As<Napi::Number>().Int32Value();
  int fd = info[1].As<Napi::Number>().Int32Value();
  // The callback is a closure over the JS wrapper that owns this object. A
  // strong native reference to it would form a cycle the GC cannot see
  // through, so a dropped socket would never be collected (nor closed). The
  // JS object holds the callback instead; we keep only a weak handle.
  Napi::Function onEvent = info[2].As<Napi::Function>();
  info.This().As<Napi::Object>().DefineProperty(Napi::PropertyDescriptor::Value("onEvent", onEvent));
  onEvent_ = Napi::Weak(onEvent);
  async_ = std::make_unique<Napi::AsyncContext>(env, "TIPCSocket");
  if (fd < 0) {
    if (info.Length() > 3 && info[3].IsString()) {
      fd = SocketInNamespace(info[3].As<Napi::String>().Utf8Value(), type_);
      if (fd < 0) ThrowErrno(env, -fd, "setns");
    } else {
      fd = socket(AF_TIPC, type_ | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      if (fd < 0) ThrowErrno(env, errno, "socket");
    }
    if (type_ == SOCK_RDM || type_ == SOCK_DGRAM) {
      // Returned messages are how a sender learns of loss; the default is
      // already 0 for RDM, but we never want it silently different.
      int off = 0;
      if (setsockopt(fd, SOL_TIPC, TIPC_DEST_DROPPABLE, &off, sizeof off) < 0) {
        int err = errno;
        close(fd);
        ThrowErrno(env, err, "setsockopt");
      }
    }
  } else {
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0) fcntl(fd, F_SETFL, flags | O_NONBLOCK);
  }
  fd_ = fd;
}

Socket::~Socket() { CloseNow(); }

void Socket::CloseNow() {
  if (poll_ != nullptr) {
    uv_poll_stop(poll_);
    uv_close(reinterpret_cast<uv_handle_t*>(poll_),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_poll_t*>(h); });
    poll_ = nullptr;
  }
  if (fd_ >= 0) {
    close(fd_);
    fd_ = -1;
  }
  readMode_ = kReadOff;
  wantWritable_ = false;
}

int Socket::CheckOpen(Napi::Env env) {
  if (fd_ < 0) ThrowCode(env, "ERR_SOCKET_CLOSED", "the TIPC socket is closed");
  return fd_;
}

// close(): idempotent.
Napi::Value Socket::Close(const Napi::CallbackInfo& info) {
  CloseNow();
  if (strongRef_) {
    strongRef_ = false;
    Unref();
  }
  return info.Env().Undefined();
}

Napi::Value Socket::GetFd(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), fd_);
}

// bind(type, lower, upper, scope, unbind)
Napi::Value Socket::Bind(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = CheckOpen(env);
  sockaddr_tipc sa;
  FillAddress(sa, kServiceRange, info[0].As<Napi::Number>().Uint32Value(),
              info[1].As<Napi::Number>().Uint32Value(), info[2].As<Napi::Number>().Uint32Value());
  int scope = info[3].As<Napi::Number>().Int32Value();
  // TIPC's unbind is a bind with the scope negated.
  sa.scope = static_cast<signed char>(info[4].As<Napi::Boolean>().Value() ? -scope : scope);
  if (bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) < 0) {
    ThrowErrno(env, errno, info[4].As<Napi::Boolean>().Value() ? "unbind" : "bind");
  }
  return env.Undefined();
}

static Napi::Value SocketId(Napi::Env env, int fd, bool peer) {
  sockaddr_tipc sa;
  socklen_t len = sizeof sa;
  int rc = peer ? getpeername(fd, reinterpret_cast<sockaddr*>(&sa), &len)
                : getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
  if (rc < 0) ThrowErrno(env, errno, peer ? "getpeername" : "getsockname");
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, Napi::Number::New(env, sa.addr.id.node));
  out.Set(1u, Napi::Number::New(env, sa.addr.id.ref));
  return out;
}

Napi::Value Socket::GetSockName(const Napi::CallbackInfo& info) {
  return SocketId(info.Env(), CheckOpen(info.Env()), false);
}

Napi::Value Socket::GetPeerName(const Napi::CallbackInfo& info) {
  return SocketId(info.Env(), CheckOpen(info.Env()), true);
}

// setOption(level, name, value?): an int option, or a flag option without
// a value (TIPC_MCAST_BROADCAST, TIPC_MCAST_REPLICAST) when value is absent.
Napi::Value Socket::SetOption(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = CheckOpen(env);
  int level = info[0].As<Napi::Number>().Int32Value();
  int name = info[1].As<Napi::Number>().Int32Value();
  int rc;
  if (info.Length() > 2 && info[2].IsNumber()) {
    int value = info[2].As<Napi::Number>().Int32Value();
    rc = setsockopt(fd, level, name, &value, sizeof value);
  } else {
    rc = setsockopt(fd, level, name, nullptr, 0);
  }
  if (rc < 0) ThrowErrno(env, errno, "setsockopt");
  return env.Undefined();
}

// getOption(level, name) -> int
Napi::Value Socket::GetOption(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = CheckOpen(env);
  int value = 0;
  socklen_t len = sizeof value;
  if (getsockopt(fd, info[0].As<Napi::Number>().Int32Value(), info[1].As<Napi::Number>().Int32Value(),
                 &value, &len) < 0) {
    ThrowErrno(env, errno, "getsockopt");
  }
  return Napi::Number::New(env, value);
}

// join(type, instance, scope, flags)
Napi::Value Socket::Join(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = CheckOpen(env);
  tipc_group_req req;
  req.type = info[0].As<Napi::Number>().Uint32Value();
  req.instance = info[1].As<Napi::Number>().Uint32Value();
  req.scope = info[2].As<Napi::Number>().Uint32Value();
  req.flags = info[3].As<Napi::Number>().Uint32Value();
  if (setsockopt(fd, SOL_TIPC, TIPC_GROUP_JOIN, &req, sizeof req) < 0) ThrowErrno(env, errno, "join");
  return env.Undefined();
}

Napi::Value Socket::Leave(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = CheckOpen(env);
  if (setsockopt(fd, SOL_TIPC, TIPC_GROUP_LEAVE, nullptr, 0) < 0) ThrowErrno(env, errno, "leave");
  return env.Undefined();
}

Napi::Value Socket::Listen(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (listen(CheckOpen(env), info[0].As<Napi::Number>().Int32Value()) < 0) ThrowErrno(env, errno, "listen");
  return env.Undefined();
}

// accept() -> fd of the new connection, or -1 when none is pending.
Napi::Value Socket::Accept(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd;
  do {
    fd = accept4(CheckOpen(env), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ECONNABORTED) return Napi::Number::New(env, -1);
    ThrowErrno(env, errno, "accept");
  }
  return Napi::Number::New(env, fd);
}

// connect(kind, a, b, c) -> 0 when connected, 1 when in progress (wait for
// writability, then connectResult()). TIPC's connect completes only when the
// server accepts, so a blocking connect could deadlock a single thread.
Napi::Value Socket::Connect(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = CheckOpen(env);
  sockaddr_tipc sa;
  socklen_t len = FillAddress(sa, info[0].As<Napi::Number>().Uint32Value(), info[1].As<Napi::Number>().Uint32Value(),
                              info[2].As<Napi::Number>().Uint32Value(), info[3].As<Napi::Number>().Uint32Value());
  if (connect(fd, reinterpret_cast<sockaddr*>(&sa), len) == 0) return Napi::Number::New(env, 0);
  if (errno == EINPROGRESS || errno == EALREADY) return Napi::Number::New(env, 1);
  ThrowErrno(env, errno, "connect");
}

// connectResult() -> errno name of a failed non-blocking connect, or null.
Napi::Value Socket::ConnectResult(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int err = 0;
  socklen_t len = sizeof err;
  if (getsockopt(CheckOpen(env), SOL_SOCKET, SO_ERROR, &err, &len) < 0) ThrowErrno(env, errno, "getsockopt");
  if (err == 0) return env.Null();
  return ErrnoError(env, err, "connect").Value();
}

// shutdown(): TIPC gives the peer a clean end of stream only after shutdown.
Napi::Value Socket::Shutdown(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (shutdown(CheckOpen(env), SHUT_RDWR) < 0 && errno != ENOTCONN) ThrowErrno(env, errno, "shutdown");
  return env.Undefined();
}

}  // namespace tipcrx
