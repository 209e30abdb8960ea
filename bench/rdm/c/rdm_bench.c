// C reference for the RDM benchmark: the same protocol as bench/rdm/rdm-bench.mjs,
// with sendmmsg/recvmmsg. Built by bench/rdm/run.sh into bench/rdm/out/.
//
//   rdm_bench recv --type T --size S --window W --batch B
//   rdm_bench send --type T --size S --window W --batch B --duration SEC
//   rdm_bench pong --type T
//   rdm_bench ping --type T --count N --warmup N
//
// Protocol (shared with the JS program, see bench/rdm/README.md):
//   data   size S, u32 MAGIC_DATA first     sender -> receiver's name {T, 1}
//   credit 16 B: MAGIC_CREDIT, u32 pad, f64 delivered (cumulative)
//                                           receiver -> sender's socket address,
//                                           whenever delivered - acked >= W/4 after a batch
//   end    16 B: MAGIC_END, u32 pad, f64 sent     sender -> receiver's name
//   done   16 B: MAGIC_DONE, u32 pad, f64 delivered receiver -> sender
// The sender keeps sent - credited - returned <= W. Returned messages
// (TIPC_ERRINFO) are counted by error code and NOT resent.
// Each process prints one JSON line on stdout at the end ("READY" first for
// the receiving side, once it is bound).
#define _GNU_SOURCE
#include <errno.h>
#include <linux/tipc.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAGIC_DATA 0x41544144u   // "DATA"
#define MAGIC_CREDIT 0x44455243u // "CRED"
#define MAGIC_END 0x21444e45u    // "END!"
#define MAGIC_DONE 0x454e4f44u   // "DONE"
#define MAGIC_PING 0x474e4950u   // "PING"
#define MAX_BATCH 1024
#define SLOT 66000
#define CTRL (CMSG_SPACE(8) + CMSG_SPACE(1024) + CMSG_SPACE(12) + 64)

static unsigned type_ = 0x7e570, size_ = 64, window_ = 256, batch_ = 64, count_ = 20000, warmup_ = 2000;
static double duration_ = 2.0;

static void die(const char* what) {
  fprintf(stderr, "rdm_bench: %s: %s\n", what, strerror(errno));
  exit(1);
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double minflt_ = 0; // minor page faults, read by cpu()

static void cpu(double* user, double* sys) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  minflt_ = ru.ru_minflt - minflt_;
  *user = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6;
  *sys = ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6;
}

static int rdm_socket(void) {
  int fd = socket(AF_TIPC, SOCK_RDM | SOCK_CLOEXEC, 0);
  if (fd < 0) die("socket");
  int off = 0; // same as the addon: returned messages, never silent drops
  if (setsockopt(fd, SOL_TIPC, TIPC_DEST_DROPPABLE, &off, sizeof off) < 0) die("setsockopt");
  return fd;
}

static void bind_name(int fd) {
  struct sockaddr_tipc sa = {0};
  sa.family = AF_TIPC;
  sa.addrtype = TIPC_SERVICE_RANGE;
  sa.scope = TIPC_CLUSTER_SCOPE;
  sa.addr.nameseq.type = type_;
  sa.addr.nameseq.lower = 1;
  sa.addr.nameseq.upper = 1;
  if (bind(fd, (struct sockaddr*)&sa, sizeof sa) < 0) die("bind");
  printf("READY\n");
  fflush(stdout);
}

static struct sockaddr_tipc service_name(void) {
  struct sockaddr_tipc sa = {0};
  sa.family = AF_TIPC;
  sa.addrtype = TIPC_SERVICE_ADDR;
  sa.addr.name.name.type = type_;
  sa.addr.name.name.instance = 1;
  sa.addr.name.domain = 0;
  return sa;
}

// 0, or -1 with errno EHOSTUNREACH when nobody is bound to `to` any more.
static int send_ctl(int fd, const struct sockaddr_tipc* to, uint32_t magic, double value) {
  unsigned char m[16] = {0};
  memcpy(m, &magic, 4);
  memcpy(m + 8, &value, 8);
  struct iovec iov = {m, sizeof m};
  struct mmsghdr h = {0};
  h.msg_hdr.msg_name = (void*)to;
  h.msg_hdr.msg_namelen = sizeof *to;
  h.msg_hdr.msg_iov = &iov;
  h.msg_hdr.msg_iovlen = 1;
  while (sendmmsg(fd, &h, 1, 0) < 0) {
    if (errno == EHOSTUNREACH) return -1;
    if (errno != EINTR) die("sendmmsg (control)");
  }
  return 0;
}

// Receive buffers: B slots of 66000 bytes with room for ancillary data.
struct rx {
  struct mmsghdr msgs[MAX_BATCH];
  struct iovec iov[MAX_BATCH];
  struct sockaddr_tipc names[MAX_BATCH][2];
  unsigned char* data;
  unsigned char control[MAX_BATCH][CTRL] __attribute__((aligned(8)));
};

static struct rx* rx_new(void) {
  struct rx* r = calloc(1, sizeof *r);
  if (!r) die("calloc");
  r->data = malloc((size_t)MAX_BATCH * SLOT);
  if (!r->data) die("malloc");
  return r;
}

// Blocking until at least one message, then whatever else is queued (up to n).
static int rx_recv(int fd, struct rx* r, unsigned n) {
  for (unsigned i = 0; i < n; i++) {
    r->iov[i].iov_base = r->data + (size_t)i * SLOT;
    r->iov[i].iov_len = SLOT;
    struct msghdr* h = &r->msgs[i].msg_hdr;
    h->msg_name = r->names[i];
    h->msg_namelen = sizeof r->names[i];
    h->msg_iov = &r->iov[i];
    h->msg_iovlen = 1;
    h->msg_control = r->control[i];
    h->msg_controllen = CTRL;
    h->msg_flags = 0;
  }
  int got;
  do got = recvmmsg(fd, r->msgs, n, MSG_WAITFORONE, NULL);
  while (got < 0 && errno == EINTR);
  if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return -1; // SO_RCVTIMEO
  if (got < 0) die("recvmmsg");
  return got;
}

// TIPC error code of a returned message, 0 for a normal one.
static uint32_t errinfo(struct msghdr* h) {
  for (struct cmsghdr* c = CMSG_FIRSTHDR(h); c; c = CMSG_NXTHDR(h, c)) {
    if (c->cmsg_level == SOL_TIPC && c->cmsg_type == TIPC_ERRINFO) {
      uint32_t e;
      memcpy(&e, CMSG_DATA(c), 4);
      return e;
    }
  }
  return 0;
}

static uint32_t magic_of(struct rx* r, int i) {
  uint32_t m = 0;
  if (r->msgs[i].msg_len >= 4) memcpy(&m, r->data + (size_t)i * SLOT, 4);
  return m;
}

static double value_of(struct rx* r, int i) {
  double v = 0;
  if (r->msgs[i].msg_len >= 16) memcpy(&v, r->data + (size_t)i * SLOT + 8, 8);
  return v;
}

static int run_recv(void) {
  int fd = rdm_socket();
  bind_name(fd);
  struct rx* r = rx_new();
  struct sockaddr_tipc sender = {0};
  double delivered = 0, acked = 0, bytes = 0, first_batch = 0, t_first = 0, t_last = 0, sent = -1, batches = 0;
  double other = 0, u0 = 0, s0 = 0;
  unsigned ack_every = window_ / 4 ? window_ / 4 : 1;
  int have_sender = 0, end = 0;
  while (!end) {
    int n = rx_recv(fd, r, batch_);
    double t = now_s();
    int data = 0;
    batches++;
    for (int i = 0; i < n; i++) {
      unsigned len = r->msgs[i].msg_len;
      if (len == size_ && magic_of(r, i) == MAGIC_DATA) {
        data++;
        bytes += len;
        if (!have_sender) {
          sender = r->names[i][0];
          have_sender = 1;
        }
      } else if (magic_of(r, i) == MAGIC_END) {
        sent = value_of(r, i);
        end = 1;
      } else {
        other++;
      }
    }
    if (data) {
      if (delivered == 0) {
        t_first = t;
        first_batch = data;
        cpu(&u0, &s0);
      }
      delivered += data;
      t_last = t;
      if (delivered - acked >= ack_every) {
        send_ctl(fd, &sender, MAGIC_CREDIT, delivered);
        acked = delivered;
      }
    }
  }
  if (have_sender) send_ctl(fd, &sender, MAGIC_DONE, delivered);
  double u, s;
  cpu(&u, &s);
  double elapsed = t_last - t_first;
  double rate = elapsed > 0 ? (delivered - first_batch) / elapsed : 0;
  printf("{\"role\":\"recv\",\"impl\":\"c\",\"size\":%u,\"delivered\":%.0f,\"bytes\":%.0f,\"sentReported\":%.0f,"
         "\"elapsed\":%.6f,\"msgsPerSec\":%.1f,\"mbPerSec\":%.3f,\"batches\":%.0f,\"other\":%.0f,"
         "\"cpuUser\":%.3f,\"cpuSys\":%.3f,\"minflt\":%.0f}\n",
         size_, delivered, bytes, sent, elapsed, rate, rate * size_ / 1e6, batches, other, u - u0, s - s0, minflt_);
  return 0;
}

static int run_send(void) {
  int fd = rdm_socket();
  struct rx* r = rx_new();
  struct sockaddr_tipc dest = service_name();
  unsigned char* packed = calloc(batch_, size_);
  if (!packed) die("calloc");
  static struct mmsghdr msgs[MAX_BATCH];
  static struct iovec iov[MAX_BATCH];
  for (unsigned i = 0; i < batch_; i++) {
    uint32_t m = MAGIC_DATA;
    memcpy(packed + (size_t)i * size_, &m, 4);
    iov[i].iov_base = packed + (size_t)i * size_;
    iov[i].iov_len = size_;
    msgs[i].msg_hdr.msg_name = &dest;
    msgs[i].msg_hdr.msg_namelen = sizeof dest;
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }
  double sent = 0, credited = 0, returned = 0, ret_overload = 0, ret_other = 0, credits = 0, send_calls = 0;
  double eagain = 0, u0, s0, written_off = 0, stalls = 0;
  // A stall guard: returns can themselves be lost (a return that finds the
  // sender's own queue full is dropped), and then the window would never
  // reopen. With no credit or return for 200 ms, what is outstanding is
  // written off (and counted), and END is sent again if it was lost.
  struct timeval tv = {0, 200000};
  if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) < 0) die("setsockopt SO_RCVTIMEO");
  cpu(&u0, &s0);
  double t0 = now_s(), t_end = t0 + duration_;
  int done = 0, ended = 0;
  while (!done) {
    if (!ended) {
      // Fill the window, B at a time.
      while (sent - credited - returned - written_off < window_) {
        unsigned room = (unsigned)(window_ - (sent - credited - returned - written_off));
        unsigned n = room < batch_ ? room : batch_;
        int rc = sendmmsg(fd, msgs, n, MSG_DONTWAIT);
        send_calls++;
        if (rc < 0) {
          if (errno == EINTR) continue;
          if (errno == EAGAIN || errno == EWOULDBLOCK) {
            eagain++;
            struct pollfd p = {fd, POLLOUT, 0};
            poll(&p, 1, 100);
            continue;
          }
          die("sendmmsg");
        }
        sent += rc;
      }
      if (now_s() >= t_end) {
        send_ctl(fd, &dest, MAGIC_END, sent);
        ended = 1;
      }
    }
    // Window full (or finished): wait for credits, returns, or done.
    int n = rx_recv(fd, r, batch_);
    if (n < 0) { // SO_RCVTIMEO: nothing for 200 ms
      stalls++;
      // The receiver got END and left, but its DONE was lost: finished.
      if (ended && send_ctl(fd, &dest, MAGIC_END, sent) < 0) done = 1;
      else written_off = sent - credited - returned;
      continue;
    }
    for (int i = 0; i < n; i++) {
      uint32_t e = errinfo(&r->msgs[i].msg_hdr);
      if (e) {
        returned++;
        if (e == TIPC_ERR_OVERLOAD) ret_overload++;
        else ret_other++;
        continue;
      }
      uint32_t m = magic_of(r, i);
      if (m == MAGIC_CREDIT) {
        double v = value_of(r, i);
        if (v > credited) credited = v;
        credits++;
      } else if (m == MAGIC_DONE) {
        done = 1;
      }
    }
  }
  double u, s;
  cpu(&u, &s);
  printf("{\"role\":\"send\",\"impl\":\"c\",\"size\":%u,\"sent\":%.0f,\"credited\":%.0f,\"returned\":%.0f,"
         "\"returnedOverload\":%.0f,\"returnedOther\":%.0f,\"credits\":%.0f,\"sendCalls\":%.0f,\"eagain\":%.0f,"
         "\"stalls\":%.0f,\"writtenOff\":%.0f,\"elapsed\":%.6f,\"cpuUser\":%.3f,\"cpuSys\":%.3f,\"minflt\":%.0f}\n",
         size_, sent, credited, returned, ret_overload, ret_other, credits, send_calls, eagain, stalls, written_off,
         now_s() - t0, u - u0, s - s0, minflt_);
  return 0;
}

static int run_pong(void) {
  int fd = rdm_socket();
  bind_name(fd);
  struct rx* r = rx_new();
  double echoed = 0, u0, s0;
  cpu(&u0, &s0);
  for (;;) {
    int n = rx_recv(fd, r, batch_);
    for (int i = 0; i < n; i++) {
      if (magic_of(r, i) == MAGIC_END) goto out;
      if (errinfo(&r->msgs[i].msg_hdr)) continue;
      struct iovec iov = {r->data + (size_t)i * SLOT, r->msgs[i].msg_len};
      struct mmsghdr h = {0};
      h.msg_hdr.msg_name = &r->names[i][0];
      h.msg_hdr.msg_namelen = sizeof(struct sockaddr_tipc);
      h.msg_hdr.msg_iov = &iov;
      h.msg_hdr.msg_iovlen = 1;
      if (sendmmsg(fd, &h, 1, 0) < 0) die("sendmmsg (pong)");
      echoed++;
    }
  }
out:;
  double u, s;
  cpu(&u, &s);
  printf("{\"role\":\"pong\",\"impl\":\"c\",\"echoed\":%.0f,\"cpuUser\":%.3f,\"cpuSys\":%.3f}\n", echoed, u - u0, s - s0);
  return 0;
}

static int cmp_double(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return x < y ? -1 : x > y;
}

static int run_ping(void) {
  int fd = rdm_socket();
  struct rx* r = rx_new();
  struct sockaddr_tipc dest = service_name();
  unsigned char msg[64] = {0};
  uint32_t m = MAGIC_PING;
  memcpy(msg, &m, 4);
  struct iovec iov = {msg, size_ < sizeof msg ? size_ : sizeof msg};
  struct mmsghdr h = {0};
  h.msg_hdr.msg_name = &dest;
  h.msg_hdr.msg_namelen = sizeof dest;
  h.msg_hdr.msg_iov = &iov;
  h.msg_hdr.msg_iovlen = 1;
  unsigned total = warmup_ + count_;
  double u0, s0;
  cpu(&u0, &s0);
  double* rtt = malloc(sizeof(double) * count_);
  if (!rtt) die("malloc");
  for (unsigned k = 0; k < total; k++) {
    double t = now_s();
    if (sendmmsg(fd, &h, 1, 0) < 0) die("sendmmsg (ping)");
    int got = 0;
    while (!got) {
      int n = rx_recv(fd, r, batch_);
      for (int i = 0; i < n; i++) {
        if (!errinfo(&r->msgs[i].msg_hdr) && magic_of(r, i) == MAGIC_PING) got = 1;
      }
    }
    if (k >= warmup_) rtt[k - warmup_] = (now_s() - t) * 1e6;
  }
  send_ctl(fd, &dest, MAGIC_END, 0);
  double sum = 0;
  for (unsigned k = 0; k < count_; k++) sum += rtt[k];
  qsort(rtt, count_, sizeof(double), cmp_double);
  double u, s;
  cpu(&u, &s);
  printf("{\"role\":\"ping\",\"impl\":\"c\",\"count\":%u,\"p50\":%.2f,\"p99\":%.2f,\"min\":%.2f,\"max\":%.2f,"
         "\"mean\":%.2f,\"cpuUser\":%.3f,\"cpuSys\":%.3f}\n",
         count_, rtt[count_ / 2], rtt[(size_t)(count_ * 0.99)], rtt[0], rtt[count_ - 1], sum / count_, u - u0, s - s0);
  return 0;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: rdm_bench recv|send|pong|ping [--type T] [--size S] [--window W] [--batch B] "
                    "[--duration SEC] [--count N] [--warmup N]\n");
    return 2;
  }
  for (int i = 2; i + 1 < argc; i += 2) {
    const char* k = argv[i];
    const char* v = argv[i + 1];
    if (!strcmp(k, "--type")) type_ = strtoul(v, NULL, 0);
    else if (!strcmp(k, "--size")) size_ = strtoul(v, NULL, 0);
    else if (!strcmp(k, "--window")) window_ = strtoul(v, NULL, 0);
    else if (!strcmp(k, "--batch")) batch_ = strtoul(v, NULL, 0);
    else if (!strcmp(k, "--duration")) duration_ = strtod(v, NULL);
    else if (!strcmp(k, "--count")) count_ = strtoul(v, NULL, 0);
    else if (!strcmp(k, "--warmup")) warmup_ = strtoul(v, NULL, 0);
    else {
      fprintf(stderr, "rdm_bench: unknown option %s\n", k);
      return 2;
    }
  }
  if (batch_ < 1 || batch_ > MAX_BATCH || size_ < 16 || size_ > SLOT || window_ < 1) {
    fprintf(stderr, "rdm_bench: bad batch/size/window\n");
    return 2;
  }
  const char* mode = argv[1];
  if (!strcmp(mode, "recv")) return run_recv();
  if (!strcmp(mode, "send")) return run_send();
  if (!strcmp(mode, "pong")) return run_pong();
  if (!strcmp(mode, "ping")) return run_ping();
  fprintf(stderr, "rdm_bench: unknown mode %s\n", mode);
  return 2;
}
