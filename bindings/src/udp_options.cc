// The UDP socket's naming, options and offloads: bind, getsockname, int
// options (buffer sizes, multicast TTL and loopback), the multicast
// interface, and the UDP GRO / GSO switches with their batching counters.
#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/socket.h>

#include "errors.h"
#include "udp_socket.h"

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#ifndef UDP_GRO
#define UDP_GRO 104
#endif

namespace tipcrx {

namespace {

sockaddr_in Inet(uint32_t address, uint32_t port) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(address);
  sa.sin_port = htons(static_cast<uint16_t>(port));
  return sa;
}

uint32_t PortArg(Napi::Env env, const Napi::Value& v) {
  uint32_t port = v.As<Napi::Number>().Uint32Value();
  if (port > 65535) ThrowCode(env, "ERR_INVALID_ARG_VALUE", "port must be in [0, 65535]", true);
  return port;
}

}  // namespace

// bind(address u32, port): exclusive (no SO_REUSEADDR), as the transport's
// node socket always was.
Napi::Value UdpSocket::Bind(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = CheckOpen(env);
  if (!info[0].IsNumber() || !info[1].IsNumber()) ThrowCode(env, "ERR_INVALID_ARG_TYPE", "bind(address, port) takes numbers");
  sockaddr_in sa = Inet(info[0].As<Napi::Number>().Uint32Value(), PortArg(env, info[1]));
  if (bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) < 0) ThrowErrno(env, errno, "bind");
  return env.Undefined();
}

// getsockname() -> [address u32, port]
Napi::Value UdpSocket::GetSockName(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  sockaddr_in sa{};
  socklen_t len = sizeof sa;
  if (getsockname(CheckOpen(env), reinterpret_cast<sockaddr*>(&sa), &len) < 0) ThrowErrno(env, errno, "getsockname");
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, Napi::Number::New(env, ntohl(sa.sin_addr.s_addr)));
  out.Set(1u, Napi::Number::New(env, ntohs(sa.sin_port)));
  return out;
}

// setOption(level, name, value): an int option.
Napi::Value UdpSocket::SetOption(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = CheckOpen(env);
  if (!info[0].IsNumber() || !info[1].IsNumber() || !info[2].IsNumber()) {
    ThrowCode(env, "ERR_INVALID_ARG_TYPE", "setOption(level, name, value) takes numbers");
  }
  int value = info[2].As<Napi::Number>().Int32Value();
  if (setsockopt(fd, info[0].As<Napi::Number>().Int32Value(), info[1].As<Napi::Number>().Int32Value(), &value,
                 sizeof value) < 0) {
    ThrowErrno(env, errno, "setsockopt");
  }
  return env.Undefined();
}

// getOption(level, name) -> int (SO_RCVBUF/SO_SNDBUF: what the kernel granted,
// which Linux reports doubled for its bookkeeping).
Napi::Value UdpSocket::GetOption(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = CheckOpen(env);
  int value = 0;
  socklen_t len = sizeof value;
  if (getsockopt(fd, info[0].As<Napi::Number>().Int32Value(), info[1].As<Napi::Number>().Int32Value(), &value, &len) < 0) {
    ThrowErrno(env, errno, "getsockopt");
  }
  return Napi::Number::New(env, value);
}

// setMulticastInterface(address u32): where multicast sends leave.
Napi::Value UdpSocket::SetMulticastInterface(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = CheckOpen(env);
  in_addr a{};
  a.s_addr = htonl(info[0].As<Napi::Number>().Uint32Value());
  if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &a, sizeof a) < 0) ThrowErrno(env, errno, "setsockopt");
  return env.Undefined();
}

// setGro(on) -> whether receives may now be coalesced. A kernel without
// UDP GRO refuses: receives then stay one datagram each, nothing else changes.
Napi::Value UdpSocket::SetGro(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = CheckOpen(env);
  int on = info[0].ToBoolean().Value() ? 1 : 0;
  if (setsockopt(fd, SOL_UDP, UDP_GRO, &on, sizeof on) == 0) gro_ = on != 0;
  else gro_ = false;
  return Napi::Boolean::New(env, gro_);
}

// setGso(on) -> whether sends may use UDP_SEGMENT. Probed once (the option
// reads back where the kernel has it); a send the kernel refuses later turns
// it off for good (udp_send.cc).
Napi::Value UdpSocket::SetGso(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = CheckOpen(env);
  bool want = info[0].ToBoolean().Value();
  if (want && gsoSupport_ < 0) {
    int size = 0;
    socklen_t len = sizeof size;
    gsoSupport_ = getsockopt(fd, SOL_UDP, UDP_SEGMENT, &size, &len) == 0 ? 1 : 0;
  }
  gso_ = want && gsoSupport_ == 1;
  return Napi::Boolean::New(env, gso_);
}

// offloads() -> { gro, gso, sendCalls, sendDatagrams, gsoMessages,
// receiveCalls, receiveDatagrams, groMessages }: whether batching works.
Napi::Value UdpSocket::GetOffloads(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  out.Set("gro", gro_);
  out.Set("gso", gso_);
  out.Set("sendCalls", sendCalls_);
  out.Set("sendDatagrams", sendDatagrams_);
  out.Set("gsoMessages", gsoMessages_);
  out.Set("receiveCalls", receiveCalls_);
  out.Set("receiveDatagrams", receiveDatagrams_);
  out.Set("groMessages", groMessages_);
  return out;
}

}  // namespace tipcrx
