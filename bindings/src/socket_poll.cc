// Readiness and delivery: which events the uv_poll_t watches, and what
// happens when the descriptor is readable (a bounded number of recvmmsg()
// rounds, each delivered to JS as one batch, copied or borrowed) or
// writable (a one-shot signal to JS).
#include <errno.h>
#include <linux/tipc.h>
#include <sys/socket.h>

#include "errors.h"
#include "receive_batch.h"
#include "socket.h"

namespace tipcrx {

// At most this many recvmmsg() rounds per readiness event: the rest waits for
// the next loop iteration (level-triggered poll), so timers and other sockets
// still get their turn under a flood.
constexpr int kMaxRoundsPerEvent = 16;

// setPoll(readMode, wantWritable). Throws a system error when libuv cannot
// watch the descriptor; nothing is watched then.
Napi::Value Socket::SetPoll(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  auto mode = static_cast<ReadMode>(info[0].As<Napi::Number>().Int32Value());
  // Without a region there is nowhere to receive into: the level-triggered
  // poll would report readable forever with nothing read.
  if (mode == kReadBorrowed && borrowed_ == nullptr) {
    ThrowCode(env, "ERR_INVALID_ARG_VALUE", "the borrowed read mode needs borrow() first");
  }
  readMode_ = mode;
  wantWritable_ = info[1].As<Napi::Boolean>().Value();
  const char* call = nullptr;
  int err = UpdatePoll(&call);
  if (err < 0) throw UvError(env, err, call);
  return env.Undefined();
}

// setRef(bool): whether an active poll keeps the event loop alive.
Napi::Value Socket::SetRef(const Napi::CallbackInfo& info) {
  loopRef_ = info[0].As<Napi::Boolean>().Value();
  if (poll_ != nullptr) {
    if (loopRef_) uv_ref(reinterpret_cast<uv_handle_t*>(poll_));
    else uv_unref(reinterpret_cast<uv_handle_t*>(poll_));
  }
  return info.Env().Undefined();
}

int Socket::UpdatePoll(const char** call) {
  int events = (readMode_ != kReadOff ? UV_READABLE : 0) | (wantWritable_ ? UV_WRITABLE : 0);
  int err = 0;
  if (events != 0 && poll_ == nullptr && fd_ >= 0) {
    poll_ = new uv_poll_t;
    uv_loop_t* loop = nullptr;
    napi_get_uv_event_loop(Env(), &loop);
    err = uv_poll_init(loop, poll_, fd_);
    if (err < 0) {
      // Never initialised, so not a handle yet: no uv_close() needed.
      delete poll_;
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
    readMode_ = kReadOff;
    wantWritable_ = false;
    events = 0;
  }
  if (poll_ != nullptr && events == 0) uv_poll_stop(poll_);
  // A socket that is being watched must outlive its JS handle being dropped
  // (like a listening net.Server); an idle one may be collected and closed.
  if (events != 0 && !strongRef_) {
    strongRef_ = true;
    Ref();
  } else if (events == 0 && strongRef_) {
    strongRef_ = false;
    Unref();
  }
  return err;
}

void Socket::UpdatePollOrReport(Napi::Env env) {
  const char* call = nullptr;
  int err = UpdatePoll(&call);
  if (err < 0) Dispatch(env, {Napi::Number::New(env, kEventError), UvError(env, err, call).Value()});
}

void Socket::OnPoll(uv_poll_t* handle, int status, int events) {
  Socket* self = static_cast<Socket*>(handle->data);
  Napi::Env env = self->Env();
  Napi::HandleScope scope(env);
  // Keep the wrapper alive while JS runs: a callback may close the socket
  // and drop the last reference to it.
  self->Ref();
  if (status < 0) {
    // uv reports poll errors (e.g. EBADF) as negative errno values
    self->readMode_ = kReadOff;
    self->wantWritable_ = false;
    self->UpdatePollOrReport(env);
    self->Dispatch(env, {Napi::Number::New(env, kEventError), ErrnoError(env, -status, "poll").Value()});
  } else {
    if ((events & UV_WRITABLE) && self->wantWritable_) self->HandleWritable(env);
    if ((events & UV_READABLE) && self->fd_ >= 0) self->HandleReadable(env);
  }
  self->Unref();
}

void Socket::HandleWritable(Napi::Env env) {
  wantWritable_ = false;  // one-shot: JS asks again after the next EAGAIN
  UpdatePollOrReport(env);
  Dispatch(env, {Napi::Number::New(env, kEventWritable)});
}

void Socket::HandleReadable(Napi::Env env) {
  if (readMode_ == kReadNotify) {
    Dispatch(env, {Napi::Number::New(env, kEventReadable)});
    return;
  }
  for (int round = 0; round < kMaxRoundsPerEvent && fd_ >= 0; round++) {
    // Read the mode each round: a callback may have switched or stopped it.
    bool borrowed = readMode_ == kReadBorrowed && borrowed_ != nullptr;
    if (!borrowed && readMode_ != kReadBatches) return;
    ReceiveArea* area = borrowed ? &borrowed_->Area() : ScratchArea();
    int n = area != nullptr ? ReceiveBatch(*area, fd_, kMaxBatch) : -ENOMEM;
    if (n == -EAGAIN) return;
    if (n < 0) {
      readMode_ = kReadOff;
      UpdatePollOrReport(env);
      Dispatch(env, {Napi::Number::New(env, kEventError), ErrnoError(env, -n, "recvmmsg").Value()});
      return;
    }
    // On a connection, zero bytes without TIPC error info is the end of the
    // stream; it would be reported again on every read, so deliver it once.
    bool connection = type_ == SOCK_SEQPACKET || type_ == SOCK_STREAM;
    if (connection) {
      for (int i = 0; i < n; i++) {
        if (IsEndOfStream(*area, i)) {
          n = i + 1;
          readMode_ = kReadOff;
          UpdatePollOrReport(env);
          break;
        }
      }
    }
    DeliverBatch(env, *area, n);
    if (n < kMaxBatch) return;  // the queue is (very likely) empty: skip an EAGAIN round
  }
}

void Socket::DeliverBatch(Napi::Env env, ReceiveArea& area, int n) {
  if (borrowed_ != nullptr && &area == &borrowed_->Area()) {
    borrowed_->Describe(n);
    Dispatch(env, {Napi::Number::New(env, kEventBorrowedBatch), Napi::Number::New(env, n)});
    // The callback is over: the batch's views are no longer valid.
    if (poison_) borrowed_->Poison(n);
    return;
  }
  PackedBatch batch = PackBatch(env, area, n);
  Dispatch(env, {Napi::Number::New(env, kEventBatch), batch.buffer, Napi::Number::New(env, n),
                 Napi::Number::New(env, static_cast<double>(batch.offset))});
}

void Socket::Dispatch(Napi::Env env, const std::initializer_list<napi_value>& args) {
  if (onEvent_.IsEmpty() || onEvent_.Value().IsEmpty()) return;  // being collected
  try {
    onEvent_.MakeCallback(Value(), args, *async_);
  } catch (const Napi::Error& e) {
    // An exception thrown by user code in a receive handler: surface it
    // like any other uncaught exception rather than swallowing it here.
    napi_fatal_exception(env, e.Value());
  }
}

}  // namespace tipcrx
