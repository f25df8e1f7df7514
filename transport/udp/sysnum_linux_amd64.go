package udp

// sysSendmmsg is sendmmsg's number, which package syscall lacks on amd64.
const sysSendmmsg = 307
