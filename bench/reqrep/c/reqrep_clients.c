// C request/reply clients: N threads, each with its own socket and one
// request in flight (blocking send, blocking receive), against the C echo
// servers the other benchmarks already have: bench/transports/c's
// udp_pingpong pong (UDP on 127.0.0.1) or bench/rdm/c's rdm_bench pong
// (TIPC RDM, bound to {TYPE, 1}). The floor a request/reply layer is
// measured against, with the same concurrency as the layer's case.
//
//   reqrep_clients udp PORT[,PORT...] THREADS SIZE WARMUP_MS DURATION_S
//   reqrep_clients tipc TYPE THREADS SIZE WARMUP_MS DURATION_S
//
// Prints READY once every socket is open, starts the threads when a line
// arrives on stdin (the driver's GO, so that every requester process starts
// at once), and prints one JSON line when DURATION_S seconds after the
// warm-up have passed: counts, CPU from GO to the end (getrusage), and the
// round trips that started after the warm-up, in tenths of a microsecond.
// udp: the requests of a thread go round robin over the ports (zeromq's REQ
// and tipc-rx's anycast spread requests the same way). tipc: each request is
// sent to the service address {TYPE, 1}; the kernel's anycast spreads them.
// A request whose reply does not come within 1 s counts as timed out, a
// request TIPC returns (TIPC_ERRINFO) as returned; both count as failed and
// the thread goes on with the next one. A reply to an older request (one that
// timed out) is skipped by its sequence number.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/tipc.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAGIC_PING 0x474e4950u // "PING": rdm_bench pong echoes anything but its END
#define MAX_PORTS 64

static int tipc_mode;
static unsigned tipc_type;
static int ports[MAX_PORTS], nports;
static int threads_, size_;
static double warmup_s, duration_s, t_go;

struct thread_result {
  int fd, index;
  long sent, answered, timeouts, returned, stale;
  uint32_t* samples; // tenths of a microsecond
  size_t n, cap;
};

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void die(const char* what) {
  fprintf(stderr, "reqrep_clients: %s: %s\n", what, strerror(errno));
  exit(1);
}

static double cpu_s(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6;
}

static int open_socket(void) {
  int fd;
  if (tipc_mode) {
    fd = socket(AF_TIPC, SOCK_RDM | SOCK_CLOEXEC, 0);
    if (fd < 0) die("socket (tipc)");
    int off = 0; // returned, never dropped in silence (as rdm_bench and the addon)
    if (setsockopt(fd, SOL_TIPC, TIPC_DEST_DROPPABLE, &off, sizeof off) < 0) die("setsockopt");
  } else {
    fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) die("socket (udp)");
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr*)&a, sizeof a) < 0) die("bind");
  }
  struct timeval tv = {.tv_sec = 1};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

static void record(struct thread_result* r, double us) {
  if (r->n == r->cap) {
    r->cap = r->cap ? r->cap * 2 : 4096;
    r->samples = realloc(r->samples, r->cap * sizeof *r->samples);
    if (!r->samples) die("realloc");
  }
  r->samples[r->n++] = (uint32_t)(us * 10 + 0.5);
}

static int returned_by_tipc(struct msghdr* h) {
  for (struct cmsghdr* c = CMSG_FIRSTHDR(h); c; c = CMSG_NXTHDR(h, c)) {
    if (c->cmsg_level == SOL_TIPC && c->cmsg_type == TIPC_ERRINFO) return 1;
  }
  return 0;
}

static void* run_thread(void* arg) {
  struct thread_result* r = arg;
  unsigned char* msg = calloc(1, size_);
  unsigned char buf[65536];
  unsigned char control[512] __attribute__((aligned(8)));
  if (!msg) die("calloc");
  uint32_t magic = MAGIC_PING;
  memcpy(msg, &magic, 4);
  struct sockaddr_tipc service = {0};
  service.family = AF_TIPC;
  service.addrtype = TIPC_SERVICE_ADDR;
  service.addr.name.name.type = tipc_type;
  service.addr.name.name.instance = 1;
  struct sockaddr_in to = {.sin_family = AF_INET};
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  double measure_from = t_go + warmup_s, end = measure_from + duration_s;
  for (uint32_t seq = 1;; seq++) {
    double t = now_s();
    if (t >= end) break;
    memcpy(msg + 4, &seq, 4);
    ssize_t s;
    if (tipc_mode) {
      s = sendto(r->fd, msg, size_, 0, (struct sockaddr*)&service, sizeof service);
    } else {
      to.sin_port = htons(ports[(seq + r->index) % nports]);
      s = sendto(r->fd, msg, size_, 0, (struct sockaddr*)&to, sizeof to);
    }
    if (s < 0) die("sendto");
    r->sent++;
    for (;;) {
      struct iovec iov = {buf, sizeof buf};
      struct msghdr h = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control};
      ssize_t n = recvmsg(r->fd, &h, 0);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
          r->timeouts++;
          break;
        }
        die("recvmsg");
      }
      uint32_t got = 0;
      if (n >= 8) memcpy(&got, buf + 4, 4);
      if (got != seq) {
        r->stale++;
        continue;
      }
      if (tipc_mode && returned_by_tipc(&h)) {
        r->returned++;
        break;
      }
      r->answered++;
      if (t >= measure_from) record(r, (now_s() - t) * 1e6);
      break;
    }
  }
  free(msg);
  return NULL;
}

static int cmp_u32(const void* a, const void* b) {
  uint32_t x = *(const uint32_t*)a, y = *(const uint32_t*)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char** argv) {
  if (argc != 7 || (strcmp(argv[1], "udp") && strcmp(argv[1], "tipc"))) {
    fprintf(stderr, "usage: reqrep_clients udp PORT[,PORT...] | tipc TYPE  THREADS SIZE WARMUP_MS DURATION_S\n");
    return 2;
  }
  tipc_mode = !strcmp(argv[1], "tipc");
  if (tipc_mode) {
    tipc_type = strtoul(argv[2], NULL, 0);
  } else {
    for (char* p = strtok(argv[2], ","); p && nports < MAX_PORTS; p = strtok(NULL, ",")) ports[nports++] = atoi(p);
  }
  threads_ = atoi(argv[3]);
  size_ = atoi(argv[4]);
  warmup_s = atof(argv[5]) / 1000;
  duration_s = atof(argv[6]);
  if (threads_ < 1 || size_ < 8 || size_ > 65000 || (!tipc_mode && nports < 1) || duration_s <= 0) {
    fprintf(stderr, "reqrep_clients: bad THREADS, SIZE, PORTS or DURATION_S\n");
    return 2;
  }
  struct thread_result* rs = calloc(threads_, sizeof *rs);
  pthread_t* th = calloc(threads_, sizeof *th);
  if (!rs || !th) die("calloc");
  for (int i = 0; i < threads_; i++) {
    rs[i].fd = open_socket();
    rs[i].index = i;
  }
  printf("READY\n");
  fflush(stdout);
  char line[64];
  if (!fgets(line, sizeof line, stdin)) {
    fprintf(stderr, "reqrep_clients: stdin closed before GO\n");
    return 1;
  }
  double cpu0 = cpu_s();
  t_go = now_s();
  for (int i = 0; i < threads_; i++) {
    if (pthread_create(&th[i], NULL, run_thread, &rs[i])) die("pthread_create");
  }
  long sent = 0, answered = 0, timeouts = 0, returned = 0, stale = 0;
  size_t n = 0;
  for (int i = 0; i < threads_; i++) {
    pthread_join(th[i], NULL);
    sent += rs[i].sent;
    answered += rs[i].answered;
    timeouts += rs[i].timeouts;
    returned += rs[i].returned;
    stale += rs[i].stale;
    n += rs[i].n;
  }
  double cpu = cpu_s() - cpu0, elapsed = now_s() - t_go;
  uint32_t* all = malloc((n ? n : 1) * sizeof *all);
  if (!all) die("malloc");
  size_t k = 0;
  for (int i = 0; i < threads_; i++) {
    memcpy(all + k, rs[i].samples, rs[i].n * sizeof *all);
    k += rs[i].n;
  }
  qsort(all, n, sizeof *all, cmp_u32);
  printf("{\"role\":\"request\",\"impl\":\"c\",\"loops\":%d,\"sent\":%ld,\"answered\":%ld,"
         "\"failed\":{\"timeout\":%ld,\"returned\":%ld},\"stale\":%ld,\"cpu\":%.4f,\"elapsed\":%.4f,\"samples\":[",
         threads_, sent, answered, timeouts, returned, stale, cpu, elapsed);
  for (size_t i = 0; i < n; i++) printf(i ? ",%u" : "%u", all[i]);
  printf("]}\n");
  return 0;
}
