// One AF_TIPC socket. C++ does the syscalls and watches the descriptor with a
// uv_poll_t; TypeScript (bindings/socket-base.ts and the socket classes on it)
// holds the policy. No worker threads: receives happen on the JS thread, a
// bounded number of batches per readiness event so one busy socket cannot
// starve the event loop.
#pragma once
#include <napi.h>
#include <uv.h>

#include <memory>

#include "borrowed_region.h"

namespace tipcrx {

// Events delivered to the socket's JS callback: onEvent(kind, ...).
enum EventKind : int {
  kEventBatch = 1,     // (ArrayBuffer, count, offset): received messages
  kEventWritable = 2,  // (): the socket became writable (after EAGAIN / connect)
  kEventReadable = 3,  // (): readable, in notify mode (listening sockets)
  kEventError = 4,     // (Error): a receive failed; reading has stopped
  kEventBorrowedBatch = 5,  // (count): received messages in the borrowed region (kReadBorrowed)
};

// What the poll watches for reading.
// kReadBorrowed delivers batches in the socket's borrowed region
// (borrowed_region.h), valid only during the callback; borrow() first.
enum ReadMode : int { kReadOff = 0, kReadBatches = 1, kReadNotify = 2, kReadBorrowed = 3 };

class Socket : public Napi::ObjectWrap<Socket> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit Socket(const Napi::CallbackInfo& info);
  ~Socket() override;

 private:
  // lifecycle
  Napi::Value Close(const Napi::CallbackInfo& info);
  Napi::Value GetFd(const Napi::CallbackInfo& info);
  Napi::Value SetPoll(const Napi::CallbackInfo& info);
  Napi::Value SetRef(const Napi::CallbackInfo& info);
  // naming
  Napi::Value Bind(const Napi::CallbackInfo& info);
  Napi::Value GetSockName(const Napi::CallbackInfo& info);
  Napi::Value GetPeerName(const Napi::CallbackInfo& info);
  // options and groups
  Napi::Value SetOption(const Napi::CallbackInfo& info);
  Napi::Value GetOption(const Napi::CallbackInfo& info);
  Napi::Value Join(const Napi::CallbackInfo& info);
  Napi::Value Leave(const Napi::CallbackInfo& info);
  // connections
  Napi::Value Listen(const Napi::CallbackInfo& info);
  Napi::Value Accept(const Napi::CallbackInfo& info);
  Napi::Value Connect(const Napi::CallbackInfo& info);
  Napi::Value ConnectResult(const Napi::CallbackInfo& info);
  Napi::Value Shutdown(const Napi::CallbackInfo& info);
  // data (socket_io.cc)
  Napi::Value SendTo(const Napi::CallbackInfo& info);
  Napi::Value SendBatch(const Napi::CallbackInfo& info);
  Napi::Value Receive(const Napi::CallbackInfo& info);
  Napi::Value Borrow(const Napi::CallbackInfo& info);

  static void OnPoll(uv_poll_t* handle, int status, int events);
  void HandleReadable(Napi::Env env);
  void HandleWritable(Napi::Env env);
  // Deliver the `n` messages just received into `area`: copied (kReadBatches)
  // or in place in the borrowed region.
  void DeliverBatch(Napi::Env env, ReceiveArea& area, int n);
  void Dispatch(Napi::Env env, const std::initializer_list<napi_value>& args);
  // Watch the descriptor as readMode_ and wantWritable_ say. Returns 0, or a
  // libuv error (negative) with the call that failed in *call; on failure
  // nothing is watched any more (readMode_ off, wantWritable_ false).
  int UpdatePoll(const char** call);
  // UpdatePoll() inside a poll callback, where nothing can throw: a failure
  // is reported to JS as a receive error (kEventError).
  void UpdatePollOrReport(Napi::Env env);
  void CloseNow();
  int CheckOpen(Napi::Env env);

  int fd_ = -1;
  int type_ = 0;
  uv_poll_t* poll_ = nullptr;  // heap: uv_close() completes after we may be gone
  ReadMode readMode_ = kReadOff;
  bool wantWritable_ = false;
  bool loopRef_ = true;        // does an active poll keep the process alive?
  bool strongRef_ = false;     // held while polling, so GC cannot close a live socket
  Napi::FunctionReference onEvent_;
  std::unique_ptr<Napi::AsyncContext> async_;
  std::unique_ptr<BorrowedRegion> borrowed_;  // created by borrow(), kept until the socket goes
  bool poison_ = false;  // fill the borrowed region with kPoisonByte after each callback
};

}  // namespace tipcrx
