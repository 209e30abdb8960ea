// Plain UDP ping-pong on 127.0.0.1: the floor for a request/response round
// trip through the kernel's loopback (blocking recvfrom/sendto, no event loop).
//
//   udp_pingpong pong [SOCKBUF]            binds 127.0.0.1:0, prints READY <port>, echoes
//                                          until a 1-byte datagram arrives
//   udp_pingpong ping PORT SIZE COUNT WARMUP [SOCKBUF]
//                                          prints one JSON line: p50, p99, min, max, mean (µs),
//                                          and the CPU seconds of the round trips (warm-up included)
//
// SOCKBUF: SO_SNDBUF and SO_RCVBUF to ask for, as every implementation in a
// benchmark run asks the same (omitted or 0: the system's default).
//
// Bounded: the ping side gives up after 2 s without a reply (SO_RCVTIMEO).
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double cpu_seconds(int user) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  struct timeval t = user ? ru.ru_utime : ru.ru_stime;
  return t.tv_sec + t.tv_usec / 1e6;
}

static int sockbuf = 0;

static int open_socket(void) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) { perror("socket"); exit(1); }
  if (sockbuf > 0) {
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sockbuf, sizeof sockbuf);
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sockbuf, sizeof sockbuf);
  }
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = 0 };
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) { perror("bind"); exit(1); }
  return fd;
}

static int pong(void) {
  int fd = open_socket();
  struct sockaddr_in a;
  socklen_t al = sizeof a;
  getsockname(fd, (struct sockaddr *)&a, &al);
  printf("READY %d\n", ntohs(a.sin_port));
  fflush(stdout);
  struct timeval tv = { .tv_sec = 30 };  // bounded: a lost ping side does not leave us behind
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char buf[65536];
  long echoed = 0;
  for (;;) {
    struct sockaddr_in from;
    socklen_t fl = sizeof from;
    ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
    if (n < 0) { perror("recvfrom"); return 1; }
    if (n == 1) break;
    if (sendto(fd, buf, n, 0, (struct sockaddr *)&from, fl) < 0) { perror("sendto"); return 1; }
    echoed++;
  }
  printf("{\"role\":\"pong\",\"impl\":\"c\",\"echoed\":%ld}\n", echoed);
  return 0;
}

static int ping(int port, int size, int count, int warmup) {
  int fd = open_socket();
  struct timeval tv = { .tv_sec = 2 };
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port) };
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&to, sizeof to) < 0) { perror("connect"); return 1; }
  char *msg = calloc(1, size < 2 ? 2 : size);
  char buf[65536];
  double *rtt = malloc(sizeof(double) * count);
  double user0 = cpu_seconds(1), sys0 = cpu_seconds(0);
  for (int k = 0; k < warmup + count; k++) {
    double t = now_us();
    if (send(fd, msg, size, 0) < 0) { perror("send"); return 1; }
    if (recv(fd, buf, sizeof buf, 0) < 0) { perror("recv"); return 1; }
    if (k >= warmup) rtt[k - warmup] = now_us() - t;
  }
  double user = cpu_seconds(1) - user0, sys = cpu_seconds(0) - sys0;
  send(fd, msg, 1, 0);
  double sum = 0;
  for (int i = 0; i < count; i++) sum += rtt[i];
  qsort(rtt, count, sizeof(double), cmp);
  printf("{\"role\":\"ping\",\"impl\":\"c\",\"count\":%d,\"p50\":%.3f,\"p99\":%.3f,\"min\":%.3f,\"max\":%.3f,\"mean\":%.3f,\"cpuUser\":%.6f,\"cpuSys\":%.6f}\n",
         count, rtt[count / 2], rtt[(int)(count * 0.99)], rtt[0], rtt[count - 1], sum / count, user, sys);
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 2 && !strcmp(argv[1], "pong")) {
    if (argc >= 3) sockbuf = atoi(argv[2]);
    return pong();
  }
  if (argc >= 6 && !strcmp(argv[1], "ping")) {
    if (argc >= 7) sockbuf = atoi(argv[6]);
    return ping(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]), atoi(argv[5]));
  }
  fprintf(stderr, "usage: udp_pingpong pong [SOCKBUF] | ping PORT SIZE COUNT WARMUP [SOCKBUF]\n");
  return 2;
}
