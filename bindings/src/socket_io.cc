// The data path: send, batched send, synchronous batched receive.
#include <errno.h>
#include <linux/tipc.h>
#include <sys/socket.h>

#include <string>

#include "address.h"
#include "errors.h"
#include "receive_batch.h"
#include "socket.h"

namespace tipcrx {

namespace {

// sendmmsg() takes at most UIO_MAXIOV messages per call.
constexpr unsigned kMaxSendBatch = 1024;

struct Bytes {
  const unsigned char* data;
  size_t length;
};

Bytes BytesOf(const Napi::Value& value) {
  Napi::TypedArray view = value.As<Napi::TypedArray>();
  const unsigned char* base = static_cast<const unsigned char*>(view.ArrayBuffer().Data());
  return {base + view.ByteOffset(), view.ByteLength()};
}

void CheckSize(Napi::Env env, size_t length) {
  if (length > TIPC_MAX_USER_MSG_SIZE) {
    static const std::string message = "message larger than " + std::to_string(TIPC_MAX_USER_MSG_SIZE) + " bytes";
    ThrowCode(env, "ERR_TIPC_MESSAGE_TOO_LARGE", message.c_str(), true);
  }
}

}  // namespace

// sendto(bytes, kind, a, b, c) -> bytes sent, or -1 when the socket or link
// is congested (EAGAIN): the caller waits for writability. Other failures
// throw (EHOSTUNREACH when no socket is bound to the name).
Napi::Value Socket::SendTo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = CheckOpen(env);
  Bytes bytes = BytesOf(info[0]);
  CheckSize(env, bytes.length);
  sockaddr_tipc sa;
  socklen_t len = FillAddress(sa, info[1].As<Napi::Number>().Uint32Value(), info[2].As<Napi::Number>().Uint32Value(),
                              info[3].As<Napi::Number>().Uint32Value(), info[4].As<Napi::Number>().Uint32Value());
  ssize_t rc;
  do {
    rc = sendto(fd, bytes.data, bytes.length, MSG_DONTWAIT | MSG_NOSIGNAL,
                len ? reinterpret_cast<sockaddr*>(&sa) : nullptr, len);
  } while (rc < 0 && errno == EINTR);
  if (rc < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return Napi::Number::New(env, -1);
    ThrowErrno(env, errno, len ? "sendto" : "send");
  }
  return Napi::Number::New(env, static_cast<double>(rc));
}

// sendBatch(bytes, lengths, count, kind, a, b, c, destinations?) -> how many
// messages the kernel accepted, in order. `bytes` holds the messages back to
// back, `lengths` their sizes. `destinations`, when given, holds (kind, a, b,
// c) per message and overrides the common one. Fewer than `count` means
// congestion (wait for writability). A failure after some messages were sent
// throws with `sent` set, so the caller knows exactly where it stopped.
Napi::Value Socket::SendBatch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = CheckOpen(env);
  Bytes bytes = BytesOf(info[0]);
  Napi::Uint32Array lengths = info[1].As<Napi::Uint32Array>();
  uint32_t count = info[2].As<Napi::Number>().Uint32Value();
  if (count > lengths.ElementLength()) ThrowCode(env, "ERR_INVALID_ARG_VALUE", "count exceeds lengths", true);
  sockaddr_tipc common;
  socklen_t commonLen = FillAddress(common, info[3].As<Napi::Number>().Uint32Value(),
                                    info[4].As<Napi::Number>().Uint32Value(), info[5].As<Napi::Number>().Uint32Value(),
                                    info[6].As<Napi::Number>().Uint32Value());
  const uint32_t* dests = nullptr;
  if (info.Length() > 7 && info[7].IsTypedArray()) {
    Napi::Uint32Array d = info[7].As<Napi::Uint32Array>();
    if (d.ElementLength() < static_cast<size_t>(count) * 4) {
      ThrowCode(env, "ERR_INVALID_ARG_VALUE", "destinations shorter than 4 x count", true);
    }
    dests = d.Data();
  }
  // Validate every length before the first syscall: a batch is sent whole
  // or stops at a clear point, never half-checked.
  size_t total = 0;
  for (uint32_t i = 0; i < count; i++) {
    CheckSize(env, lengths[i]);
    total += lengths[i];
  }
  if (total > bytes.length) ThrowCode(env, "ERR_INVALID_ARG_VALUE", "lengths exceed the bytes given", true);

  // per thread: worker threads have their own environment and sockets
  thread_local mmsghdr msgs[kMaxSendBatch];
  thread_local iovec iov[kMaxSendBatch];
  thread_local sockaddr_tipc names[kMaxSendBatch];
  uint32_t sent = 0;
  size_t offset = 0;
  while (sent < count) {
    unsigned n = count - sent < kMaxSendBatch ? count - sent : kMaxSendBatch;
    size_t o = offset;
    for (unsigned i = 0; i < n; i++) {
      uint32_t len = lengths[sent + i];
      iov[i] = {const_cast<unsigned char*>(bytes.data + o), len};
      o += len;
      msghdr& h = msgs[i].msg_hdr;
      h = msghdr{};
      h.msg_iov = &iov[i];
      h.msg_iovlen = 1;
      if (dests != nullptr) {
        const uint32_t* d = dests + 4 * static_cast<size_t>(sent + i);
        socklen_t l = FillAddress(names[i], d[0], d[1], d[2], d[3]);
        h.msg_name = l ? &names[i] : nullptr;
        h.msg_namelen = l;
      } else {
        h.msg_name = commonLen ? &common : nullptr;
        h.msg_namelen = commonLen;
      }
    }
    int rc;
    do {
      rc = sendmmsg(fd, msgs, n, MSG_DONTWAIT | MSG_NOSIGNAL);
    } while (rc < 0 && errno == EINTR);
    if (rc < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      Napi::Error error = ErrnoError(env, errno, "sendmmsg");
      error.Set("sent", Napi::Number::New(env, sent));
      throw error;
    }
    for (int i = 0; i < rc; i++) offset += lengths[sent + i];
    sent += rc;
    // A short count without an error: the next call reports why (congestion
    // or a failing destination), so loop once more to find out.
  }
  return Napi::Number::New(env, sent);
}

// receive(max?) -> [ArrayBuffer, count, offset] of a batch received now, or
// null when nothing is queued. For synchronous, recvfrom-style use and
// tests; always copying (a borrowed batch would have no callback to end
// it). The event-driven path is setPoll(kReadBatches | kReadBorrowed).
Napi::Value Socket::Receive(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = CheckOpen(env);
  int max = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().Int32Value() : kMaxBatch;
  if (max < 1) max = 1;
  ReceiveArea* area = ScratchArea();
  if (area == nullptr) ThrowErrno(env, ENOMEM, "recvmmsg");
  int n = ReceiveBatch(*area, fd, max);
  if (n == -EAGAIN) return env.Null();
  if (n < 0) ThrowErrno(env, -n, "recvmmsg");
  PackedBatch batch = PackBatch(env, *area, n);
  Napi::Array out = Napi::Array::New(env, 3);
  out.Set(0u, batch.buffer);
  out.Set(1u, Napi::Number::New(env, n));
  out.Set(2u, Napi::Number::New(env, static_cast<double>(batch.offset)));
  return out;
}

// borrow(poison) -> the socket's borrowed region (an ArrayBuffer, the same
// one on every call), for setPoll(kReadBorrowed). `poison`: fill what each
// batch used with kPoisonByte once its callback returns.
Napi::Value Socket::Borrow(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CheckOpen(env);
  poison_ = info.Length() > 0 && info[0].ToBoolean().Value();
  if (borrowed_ == nullptr) borrowed_ = BorrowedRegion::Create(env);
  return borrowed_->Buffer();
}

}  // namespace tipcrx
