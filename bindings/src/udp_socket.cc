// The UDP socket's lifecycle, polling and receive path. Polling follows
// socket.cc (the TIPC socket) line for line in its rules: a strong
// reference while watched, level-triggered readiness with a bounded number
// of batches per event, writability reported once after each EAGAIN.
#include "udp_socket.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "errors.h"
#include "udp_receive.h"

namespace tipcrx {

// Batches per readiness event: the rest waits for the next loop iteration,
// so timers and other sockets still get their turn under a flood.
constexpr int kUdpRoundsPerEvent = 16;

// Bytes per batch handed to JS, roughly: the next recvmmsg() asks for as many
// datagrams as fit at the last batch's average size. A batch is one JS call,
// and what its datagrams cause (the acks above all) leaves only when it
// returns: 64 datagrams of 64 KB take the transport ~6 ms, longer than the
// peer's shortest retransmission timeout, while 64 small ones take
// microseconds. Measured: without the bound, retransmissions at 1 KiB-60 KiB
// messages were 3-10x those of node:dgram (one JS call per datagram).
constexpr size_t kUdpBatchBytes = 256 * 1024;

// The same event kinds as the TIPC socket (socket.h).
constexpr int kUdpEventBatch = 1;
constexpr int kUdpEventWritable = 2;
constexpr int kUdpEventError = 4;

Napi::Function UdpSocket::Define(Napi::Env env) {
  return DefineClass(env, "NativeUdpSocket", {
    InstanceMethod<&UdpSocket::Close>("close"),
    InstanceAccessor<&UdpSocket::GetFd>("fd"),
    InstanceMethod<&UdpSocket::SetPoll>("setPoll"),
    InstanceMethod<&UdpSocket::SetRef>("setRef"),
    InstanceMethod<&UdpSocket::Bind>("bind"),
    InstanceMethod<&UdpSocket::GetSockName>("getsockname"),
    InstanceMethod<&UdpSocket::SetOption>("setOption"),
    InstanceMethod<&UdpSocket::GetOption>("getOption"),
    InstanceMethod<&UdpSocket::SetMulticastInterface>("setMulticastInterface"),
    InstanceMethod<&UdpSocket::SetGro>("setGro"),
    InstanceMethod<&UdpSocket::SetGso>("setGso"),
    InstanceMethod<&UdpSocket::GetOffloads>("offloads"),
    InstanceMethod<&UdpSocket::SendBatch>("sendBatch"),
    InstanceMethod<&UdpSocket::Borrow>("borrow"),
  });
}

// new NativeUdpSocket(onEvent, slotSize?): an unbound AF_INET datagram
// socket, non-blocking and close-on-exec. `slotSize` below 65536 (tests)
// makes larger datagrams arrive truncated and flagged.
UdpSocket::UdpSocket(const Napi::CallbackInfo& info) : Napi::ObjectWrap<UdpSocket>(info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsFunction()) ThrowCode(env, "ERR_INVALID_ARG_TYPE", "onEvent must be a function");
  // As in socket.cc: the JS object holds the callback (it closes over the
  // wrapper), we keep a weak handle, so a dropped socket can be collected.
  Napi::Function onEvent = info[0].As<Napi::Function>();
  info.This().As<Napi::Object>().DefineProperty(Napi::PropertyDescriptor::Value("onEvent", onEvent));
  onEvent_ = Napi::Weak(onEvent);
  slotSize_ = kUdpSlotSize;
  if (info.Length() > 1 && info[1].IsNumber()) {
    uint32_t slot = info[1].As<Napi::Number>().Uint32Value();
    if (slot < 1 || slot > kUdpSlotSize) ThrowCode(env, "ERR_INVALID_ARG_VALUE", "slotSize must be in [1, 65536]", true);
    slotSize_ = slot;
  }
  async_ = std::make_unique<Napi::AsyncContext>(env, "UDPSocket");
  fd_ = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) ThrowErrno(env, errno, "socket");
}

UdpSocket::~UdpSocket() { CloseNow(); }

void UdpSocket::CloseNow() {
  if (poll_ != nullptr) {
    uv_poll_stop(poll_);
    uv_close(reinterpret_cast<uv_handle_t*>(poll_), [](uv_handle_t* h) { delete reinterpret_cast<uv_poll_t*>(h); });
    poll_ = nullptr;
  }
  if (fd_ >= 0) {
    close(fd_);
    fd_ = -1;
  }
  reading_ = false;
  wantWritable_ = false;
}

int UdpSocket::CheckOpen(Napi::Env env) {
  if (fd_ < 0) ThrowCode(env, "ERR_SOCKET_CLOSED", "the UDP socket is closed");
  return fd_;
}

// close(): idempotent; safe inside the socket's own callback.
Napi::Value UdpSocket::Close(const Napi::CallbackInfo& info) {
  CloseNow();
  if (strongRef_) {
    strongRef_ = false;
    Unref();
  }
  return info.Env().Undefined();
}

Napi::Value UdpSocket::GetFd(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), fd_); }

// setPoll(reading, wantWritable)
Napi::Value UdpSocket::SetPoll(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  reading_ = info[0].ToBoolean().Value();
  wantWritable_ = info[1].ToBoolean().Value();
  const char* call = nullptr;
  int err = UpdatePoll(&call);
  if (err < 0) throw UvError(env, err, call);
  return env.Undefined();
}

// setRef(bool): whether an active poll keeps the event loop alive.
Napi::Value UdpSocket::SetRef(const Napi::CallbackInfo& info) {
  loopRef_ = info[0].ToBoolean().Value();
  if (poll_ != nullptr) {
    if (loopRef_) uv_ref(reinterpret_cast<uv_handle_t*>(poll_));
    else uv_unref(reinterpret_cast<uv_handle_t*>(poll_));
  }
  return info.Env().Undefined();
}

int UdpSocket::UpdatePoll(const char** call) {
  int events = (reading_ ? UV_READABLE : 0) | (wantWritable_ ? UV_WRITABLE : 0);
  int err = 0;
  if (events != 0 && poll_ == nullptr && fd_ >= 0) {
    poll_ = new uv_poll_t;
    uv_loop_t* loop = nullptr;
    napi_get_uv_event_loop(Env(), &loop);
    err = uv_poll_init(loop, poll_, fd_);
    if (err < 0) {
      delete poll_;  // never initialised: not a handle, no uv_close()
      poll_ = nullptr;
      *call = "uv_poll_init";
    } else {
      poll_->data = this;
      if (!loopRef_) uv_unref(reinterpret_cast<uv_handle_t*>(poll_));
    }
  }
  if (err == 0 && poll_ != nullptr && events != 0) {
    err = uv_poll_start(poll_, events, OnPoll);
    if (err < 0) *call = "uv_poll_start";
  }
  if (err < 0) {
    reading_ = false;
    wantWritable_ = false;
    events = 0;
  }
  if (poll_ != nullptr && events == 0) uv_poll_stop(poll_);
  if (events != 0 && !strongRef_) {
    strongRef_ = true;
    Ref();
  } else if (events == 0 && strongRef_) {
    strongRef_ = false;
    Unref();
  }
  return err;
}

void UdpSocket::UpdatePollOrReport(Napi::Env env) {
  const char* call = nullptr;
  int err = UpdatePoll(&call);
  if (err < 0) Dispatch(env, {Napi::Number::New(env, kUdpEventError), UvError(env, err, call).Value()});
}

void UdpSocket::OnPoll(uv_poll_t* handle, int status, int events) {
  UdpSocket* self = static_cast<UdpSocket*>(handle->data);
  Napi::Env env = self->Env();
  Napi::HandleScope scope(env);
  self->Ref();  // a callback may close the socket and drop the last reference
  if (status < 0) {
    self->reading_ = false;
    self->wantWritable_ = false;
    self->UpdatePollOrReport(env);
    self->Dispatch(env, {Napi::Number::New(env, kUdpEventError), ErrnoError(env, -status, "poll").Value()});
  } else {
    if ((events & UV_WRITABLE) && self->wantWritable_) {
      self->wantWritable_ = false;  // one-shot: JS asks again after the next EAGAIN
      self->UpdatePollOrReport(env);
      self->Dispatch(env, {Napi::Number::New(env, kUdpEventWritable)});
    }
    if ((events & UV_READABLE) && self->fd_ >= 0) self->HandleReadable(env);
  }
  self->Unref();
}

// borrow(poison): the borrowed receive mode from now on. Every batch is
// received into one region (created on the first call, kUdpRegionBytes, of
// which only the pages batches use get touched) and described in place:
// no allocation and no copy per batch, and views valid only until the
// callback returns (the next batch overwrites them). `poison`: after each
// callback, overwrite what the batch used with 0xDB, so a view kept too long
// reads garbage, never plausible data (tests). Returns the region.
Napi::Value UdpSocket::Borrow(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  poison_ = info.Length() > 0 && info[0].ToBoolean().Value();
  if (regionData_ == nullptr) {
    Napi::ArrayBuffer region = Napi::ArrayBuffer::New(env, kUdpRegionBytes);
    regionData_ = static_cast<unsigned char*>(region.Data());
    region_ = Napi::Persistent(region);
  }
  return region_.Value();
}

void UdpSocket::HandleReadable(Napi::Env env) {
  for (int round = 0; round < kUdpRoundsPerEvent && reading_ && fd_ >= 0; round++) {
    unsigned char* slots = regionData_ != nullptr ? regionData_ + kUdpRegionSlotsAt : nullptr;
    UdpReceived r = UdpReceiveBatch(fd_, batchLimit_, slotSize_, slots);
    if (r.messages == -EAGAIN || r.messages == -EWOULDBLOCK) return;
    if (r.messages < 0) {
      // An ICMP error queued by an earlier send (e.g. ECONNREFUSED) fails
      // one receive and is then cleared: not a reason to stop reading.
      if (r.messages == -ECONNREFUSED || r.messages == -EHOSTUNREACH || r.messages == -ENETUNREACH) continue;
      reading_ = false;
      UpdatePollOrReport(env);
      Dispatch(env, {Napi::Number::New(env, kUdpEventError), ErrnoError(env, -r.messages, "recvmmsg").Value()});
      return;
    }
    receiveCalls_++;
    receiveDatagrams_ += r.datagrams;
    if (r.datagrams > r.messages) groMessages_ += r.messages;
    int asked = batchLimit_;
    size_t average = r.bytes / static_cast<size_t>(r.messages);
    size_t fit = kUdpBatchBytes / (average > 0 ? average : 1);
    batchLimit_ = fit < 1 ? 1 : fit > static_cast<size_t>(kUdpMaxBatch) ? kUdpMaxBatch : static_cast<int>(fit);
    if (slots != nullptr) {
      DispatchBorrowed(env, r);
    } else {
      PackedBatch batch = UdpPackBatch(env, r);
      Dispatch(env, {Napi::Number::New(env, kUdpEventBatch), batch.buffer, Napi::Number::New(env, r.datagrams),
                     Napi::Number::New(env, static_cast<double>(batch.offset))});
    }
    if (r.messages < asked) return;  // the queue is (very likely) empty: skip an EAGAIN round
  }
}

// The same event as a copied batch, at offset 0 of the region.
void UdpSocket::DispatchBorrowed(Napi::Env env, const UdpReceived& r) {
  int datagrams = UdpDescribeInRegion(regionData_, r);
  uint32_t used[kUdpMaxBatch];
  for (int i = 0; i < r.messages; i++) used[i] = UdpReceivedLength(i);
  // The region stays alive through the callback even if it closes the socket.
  Napi::ArrayBuffer region = region_.Value();
  unsigned char* data = regionData_;
  Dispatch(env, {Napi::Number::New(env, kUdpEventBatch), region, Napi::Number::New(env, datagrams), Napi::Number::New(env, 0)});
  if (!poison_) return;
  memset(data, kPoisonByte, static_cast<size_t>(datagrams) * kUdpMetaWords * 4);
  for (int i = 0; i < r.messages; i++) memset(data + kUdpRegionSlotsAt + i * static_cast<size_t>(kUdpSlotSize), kPoisonByte, used[i]);
}

void UdpSocket::Dispatch(Napi::Env env, const std::initializer_list<napi_value>& args) {
  if (onEvent_.IsEmpty() || onEvent_.Value().IsEmpty()) return;  // being collected
  try {
    onEvent_.MakeCallback(Value(), args, *async_);
  } catch (const Napi::Error& e) {
    napi_fatal_exception(env, e.Value());
  }
}

}  // namespace tipcrx
