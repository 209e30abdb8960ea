// Module entry: the NativeSocket and NativeUdpSocket classes, a TIPC
// availability probe and the kernel constants the TypeScript layer needs (so they come from the
// headers this was built against, not from copies).
#include <errno.h>
#include <linux/tipc.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "errors.h"
#include "receive_batch.h"
#include "socket.h"
#include "udp_receive.h"
#include "udp_socket.h"

namespace tipcrx {

// probe() -> { available: true, node } or { available: false, code, errno, message }
static Napi::Value Probe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  int fd = socket(AF_TIPC, SOCK_RDM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    Napi::Error e = ErrnoError(env, errno, "socket");
    out.Set("available", false);
    out.Set("code", e.Get("code"));
    out.Set("errno", e.Get("errno"));
    out.Set("message", e.Get("message"));
    return out;
  }
  sockaddr_tipc sa;
  socklen_t len = sizeof sa;
  int rc = getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
  int err = errno;
  close(fd);
  if (rc < 0) {
    Napi::Error e = ErrnoError(env, err, "getsockname");
    out.Set("available", false);
    out.Set("code", e.Get("code"));
    out.Set("errno", e.Get("errno"));
    out.Set("message", e.Get("message"));
    return out;
  }
  out.Set("available", true);
  out.Set("node", Napi::Number::New(env, sa.addr.id.node));
  return out;
}

static Napi::Object Constants(Napi::Env env) {
  Napi::Object c = Napi::Object::New(env);
#define C(name) c.Set(#name, Napi::Number::New(env, name));
  C(SOCK_RDM) C(SOCK_DGRAM) C(SOCK_SEQPACKET) C(SOCK_STREAM) C(SOL_TIPC) C(SOL_SOCKET)
  C(SO_RCVBUF) C(SO_SNDBUF)
  C(TIPC_IMPORTANCE) C(TIPC_SRC_DROPPABLE) C(TIPC_DEST_DROPPABLE) C(TIPC_CONN_TIMEOUT)
  C(TIPC_NODE_RECVQ_DEPTH) C(TIPC_SOCK_RECVQ_DEPTH) C(TIPC_SOCK_RECVQ_USED) C(TIPC_MCAST_BROADCAST)
  C(TIPC_MCAST_REPLICAST) C(TIPC_NODELAY) C(TIPC_GROUP_LOOPBACK) C(TIPC_GROUP_MEMBER_EVTS)
  C(TIPC_CLUSTER_SCOPE) C(TIPC_NODE_SCOPE) C(TIPC_MAX_USER_MSG_SIZE) C(TIPC_RESERVED_TYPES)
  C(TIPC_LOW_IMPORTANCE) C(TIPC_MEDIUM_IMPORTANCE) C(TIPC_HIGH_IMPORTANCE) C(TIPC_CRITICAL_IMPORTANCE)
  C(TIPC_ERR_NO_NAME) C(TIPC_ERR_NO_PORT) C(TIPC_ERR_NO_NODE) C(TIPC_ERR_OVERLOAD) C(TIPC_CONN_SHUTDOWN)
#undef C
  c.Set("META_WORDS", Napi::Number::New(env, kMetaWords));
  c.Set("MAX_BATCH", Napi::Number::New(env, kMaxBatch));
  c.Set("UDP_META_WORDS", Napi::Number::New(env, kUdpMetaWords));
  c.Set("UDP_MAX_BATCH", Napi::Number::New(env, kUdpMaxBatch));
  c.Set("IPPROTO_IP", Napi::Number::New(env, IPPROTO_IP));
  c.Set("IP_MULTICAST_TTL", Napi::Number::New(env, IP_MULTICAST_TTL));
  c.Set("IP_MULTICAST_LOOP", Napi::Number::New(env, IP_MULTICAST_LOOP));
  return c;
}

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeSocket", Socket::Define(env));
  exports.Set("NativeUdpSocket", UdpSocket::Define(env));
  exports.Set("probe", Napi::Function::New(env, Probe, "probe"));
  exports.Set("constants", Constants(env));
  return exports;
}

}  // namespace tipcrx

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return tipcrx::Init(env, exports); }

NODE_API_MODULE(tipc_rx, InitModule)
