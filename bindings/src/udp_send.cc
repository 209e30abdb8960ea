// The UDP send path: a turn's packets in as few sendmmsg() calls as the
// kernel allows, each packet gathered from its buffers (iovec: the link
// packet writer hands the header and large items over separately, so they
// are never copied), and with UDP GSO a run of equal-sized packets to one
// destination as a single message the kernel cuts into datagrams (one trip
// through the stack instead of one per packet).
#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <string.h>
#include <sys/socket.h>

#include <vector>

#include "errors.h"
#include "udp_socket.h"

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif

namespace tipcrx {

namespace {

constexpr unsigned kMaxMessages = 1024;   // UIO_MAXIOV: sendmmsg's limit per call
constexpr size_t kMaxIovPerMessage = 1024;
constexpr unsigned kMaxSegments = 64;     // UDP_MAX_SEGMENTS
constexpr size_t kMaxUdpPayload = 65507;  // 65535 less the IPv4 and UDP headers
constexpr size_t kSegmentControl = CMSG_SPACE(sizeof(uint16_t));

struct Outgoing {
  std::vector<iovec> iov;          // every packet's buffers, in order
  std::vector<uint32_t> firstIov;  // per packet: its first entry in iov
  std::vector<uint32_t> size;      // per packet: bytes
};

// per thread: worker threads have their own environment and sockets
thread_local Outgoing out;
thread_local mmsghdr msgs[kMaxMessages];
thread_local sockaddr_in names[kMaxMessages];
thread_local uint32_t packetsIn[kMaxMessages];
alignas(cmsghdr) thread_local unsigned char control[kMaxMessages][kSegmentControl];

bool SameDestination(const uint32_t* dests, uint32_t a, uint32_t b) {
  return dests[2 * a] == dests[2 * b] && dests[2 * a + 1] == dests[2 * b + 1];
}

// How many packets from `first` can go as one GSO message: the same
// destination, all of the first one's size except a shorter last one,
// within the kernel's segment and size limits.
uint32_t GsoRun(const uint32_t* dests, uint32_t first, uint32_t count) {
  uint32_t segment = out.size[first];
  if (segment == 0) return 1;
  size_t total = segment;
  size_t iovs = out.firstIov[first + 1] - out.firstIov[first];
  uint32_t n = 1;
  while (first + n < count && n < kMaxSegments) {
    uint32_t next = first + n;
    uint32_t size = out.size[next];
    if (size == 0 || size > segment || !SameDestination(dests, first, next)) break;
    if (total + size > kMaxUdpPayload) break;
    size_t nextIovs = out.firstIov[next + 1] - out.firstIov[next];
    if (iovs + nextIovs > kMaxIovPerMessage) break;
    total += size;
    iovs += nextIovs;
    n++;
    if (size < segment) break;  // only the last may be shorter
  }
  return n;
}

}  // namespace

// sendBatch(buffers, parts, destinations, count) -> packets the kernel took,
// in order. Packet i is the next parts[i] entries of `buffers` (Uint8Arrays),
// sent to destinations[2i] (IPv4 address as u32) port destinations[2i+1].
// Fewer than `count` means the socket buffer is full (EAGAIN): the caller
// keeps the rest and waits for writability. Any other failure throws with
// `sent` set (the packets before the failing one went out).
Napi::Value UdpSocket::SendBatch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = CheckOpen(env);
  if (!info[0].IsArray() || !info[1].IsTypedArray() || !info[2].IsTypedArray() || !info[3].IsNumber()) {
    ThrowCode(env, "ERR_INVALID_ARG_TYPE", "sendBatch(buffers[], parts: Uint32Array, destinations: Uint32Array, count)");
  }
  Napi::Array buffers = info[0].As<Napi::Array>();
  Napi::Uint32Array parts = info[1].As<Napi::Uint32Array>();
  Napi::Uint32Array destinations = info[2].As<Napi::Uint32Array>();
  uint32_t count = info[3].As<Napi::Number>().Uint32Value();
  if (count > parts.ElementLength()) ThrowCode(env, "ERR_INVALID_ARG_VALUE", "count exceeds parts", true);
  if (destinations.ElementLength() < static_cast<size_t>(count) * 2) {
    ThrowCode(env, "ERR_INVALID_ARG_VALUE", "destinations shorter than 2 x count", true);
  }
  const uint32_t* dests = destinations.Data();
  // Gather and check everything before the first syscall: a batch is sent
  // whole or stops at a clear point, never half-checked.
  uint32_t bufferCount = buffers.Length();
  out.iov.clear();
  out.firstIov.clear();
  out.size.clear();
  uint32_t next = 0;
  for (uint32_t p = 0; p < count; p++) {
    out.firstIov.push_back(static_cast<uint32_t>(out.iov.size()));
    if (parts[p] > bufferCount - next || parts[p] > kMaxIovPerMessage) {
      ThrowCode(env, "ERR_INVALID_ARG_VALUE", "parts exceed the buffers given", true);
    }
    size_t size = 0;
    for (uint32_t k = 0; k < parts[p]; k++, next++) {
      Napi::Value v = buffers.Get(next);
      if (!v.IsTypedArray()) ThrowCode(env, "ERR_INVALID_ARG_TYPE", "every buffer must be a Uint8Array");
      Napi::TypedArray view = v.As<Napi::TypedArray>();
      unsigned char* base = static_cast<unsigned char*>(view.ArrayBuffer().Data());
      out.iov.push_back({base + view.ByteOffset(), view.ByteLength()});
      size += view.ByteLength();
    }
    if (size > kMaxUdpPayload) ThrowCode(env, "ERR_UDP_PACKET_TOO_LARGE", "packet larger than 65507 bytes", true);
    if (dests[2 * p + 1] > 65535) ThrowCode(env, "ERR_INVALID_ARG_VALUE", "port must be in [0, 65535]", true);
    out.size.push_back(static_cast<uint32_t>(size));
  }
  out.firstIov.push_back(static_cast<uint32_t>(out.iov.size()));

  uint32_t sent = 0;
  while (sent < count) {
    unsigned m = 0;
    for (uint32_t p = sent; p < count && m < kMaxMessages; m++) {
      uint32_t run = gso_ ? GsoRun(dests, p, count) : 1;
      msghdr& h = msgs[m].msg_hdr;
      h = msghdr{};
      names[m] = sockaddr_in{};
      names[m].sin_family = AF_INET;
      names[m].sin_addr.s_addr = htonl(dests[2 * p]);
      names[m].sin_port = htons(static_cast<uint16_t>(dests[2 * p + 1]));
      h.msg_name = &names[m];
      h.msg_namelen = sizeof names[m];
      h.msg_iov = &out.iov[out.firstIov[p]];
      h.msg_iovlen = out.firstIov[p + run] - out.firstIov[p];
      if (run > 1) {
        h.msg_control = control[m];
        h.msg_controllen = kSegmentControl;
        cmsghdr* c = CMSG_FIRSTHDR(&h);
        c->cmsg_level = SOL_UDP;
        c->cmsg_type = UDP_SEGMENT;
        c->cmsg_len = CMSG_LEN(sizeof(uint16_t));
        uint16_t segment = static_cast<uint16_t>(out.size[p]);
        memcpy(CMSG_DATA(c), &segment, sizeof segment);
      }
      packetsIn[m] = run;
      p += run;
    }
    int rc;
    do {
      rc = sendmmsg(fd, msgs, m, MSG_DONTWAIT | MSG_NOSIGNAL);
    } while (rc < 0 && errno == EINTR);
    if (rc < 0) {
      int err = errno;
      if (err == EAGAIN || err == EWOULDBLOCK) break;
      bool gsoMessage = packetsIn[0] > 1;
      if (gsoMessage && (err == EIO || err == EINVAL || err == ENOPROTOOPT || err == EOPNOTSUPP || err == EMSGSIZE)) {
        GsoRefused();  // e.g. no checksum offload on the route: segment in user space from now on
        continue;
      }
      Napi::Error error = ErrnoError(env, err, "sendmmsg");
      error.Set("sent", Napi::Number::New(env, sent));
      throw error;
    }
    sendCalls_++;
    for (int i = 0; i < rc; i++) {
      sent += packetsIn[i];
      if (packetsIn[i] > 1) gsoMessages_++;
    }
    // A short count without an error: the next call reports why (a full
    // buffer or a failing destination), so loop once more to find out.
  }
  sendDatagrams_ += sent;
  return Napi::Number::New(env, sent);
}

}  // namespace tipcrx
