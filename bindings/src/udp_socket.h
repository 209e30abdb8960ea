// One AF_INET datagram socket for the udp transport: the node's socket.
// The same shape as the TIPC socket (socket.h): C++ does the syscalls and
// watches the descriptor with a uv_poll_t, receives run on the JS thread a
// bounded number of batches per readiness event, and each batch reaches JS
// in one call as views into pooled blocks (batch_arena.h), or, in the
// borrowed mode, into one region the socket reuses (udp_receive.h). Sends go out a
// turn's packets at a time with sendmmsg (udp_send.cc), large runs of
// equal-sized packets as one UDP GSO message where the kernel has it.
#pragma once
#include <napi.h>
#include <uv.h>

#include <memory>

namespace tipcrx {

struct UdpReceived;  // udp_receive.h

class UdpSocket : public Napi::ObjectWrap<UdpSocket> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit UdpSocket(const Napi::CallbackInfo& info);
  ~UdpSocket() override;

 private:
  // lifecycle and polling (udp_socket.cc)
  Napi::Value Close(const Napi::CallbackInfo& info);
  Napi::Value GetFd(const Napi::CallbackInfo& info);
  Napi::Value SetPoll(const Napi::CallbackInfo& info);
  Napi::Value SetRef(const Napi::CallbackInfo& info);
  // naming and options (udp_options.cc)
  Napi::Value Bind(const Napi::CallbackInfo& info);
  Napi::Value GetSockName(const Napi::CallbackInfo& info);
  Napi::Value SetOption(const Napi::CallbackInfo& info);
  Napi::Value GetOption(const Napi::CallbackInfo& info);
  Napi::Value SetMulticastInterface(const Napi::CallbackInfo& info);
  Napi::Value SetGro(const Napi::CallbackInfo& info);
  Napi::Value SetGso(const Napi::CallbackInfo& info);
  Napi::Value GetOffloads(const Napi::CallbackInfo& info);
  // data (udp_send.cc; receiving is poll-driven, udp_socket.cc)
  Napi::Value SendBatch(const Napi::CallbackInfo& info);
  Napi::Value Borrow(const Napi::CallbackInfo& info);
  // The kernel refused a GSO send: plain sendmmsg from now on.
  void GsoRefused() { gso_ = false; gsoSupport_ = 0; }

  static void OnPoll(uv_poll_t* handle, int status, int events);
  void HandleReadable(Napi::Env env);
  void DispatchBorrowed(Napi::Env env, const UdpReceived& r);
  void Dispatch(Napi::Env env, const std::initializer_list<napi_value>& args);
  int UpdatePoll(const char** call);
  void UpdatePollOrReport(Napi::Env env);
  void CloseNow();
  int CheckOpen(Napi::Env env);

  int fd_ = -1;
  uv_poll_t* poll_ = nullptr;  // heap: uv_close() completes after we may be gone
  bool reading_ = false;
  bool wantWritable_ = false;
  bool loopRef_ = true;
  bool strongRef_ = false;     // held while polling, so GC cannot close a live socket
  bool gro_ = false;           // UDP_GRO accepted: receives may be coalesced
  bool gso_ = false;           // sends use UDP_SEGMENT (asked for, and supported)
  int gsoSupport_ = -1;        // -1 not probed yet, 0 refused (probe or a send), 1 supported
  uint32_t slotSize_ = 0;      // receive room per datagram (65536 unless a test asks less)
  int batchLimit_ = 64;        // datagrams the next poll-driven recvmmsg() asks for (udp_socket.cc)
  // Batching counters (the transport's stats read them): calls and datagrams.
  double sendCalls_ = 0, sendDatagrams_ = 0, gsoMessages_ = 0;
  double receiveCalls_ = 0, receiveDatagrams_ = 0, groMessages_ = 0;
  // The borrowed receive mode (borrow()): recvmmsg() writes into this
  // region, reused for every batch; null in the copying mode.
  Napi::Reference<Napi::ArrayBuffer> region_;
  unsigned char* regionData_ = nullptr;
  bool poison_ = false;        // overwrite what a batch used once its callback returns (tests)
  Napi::FunctionReference onEvent_;
  std::unique_ptr<Napi::AsyncContext> async_;
};

}  // namespace tipcrx
