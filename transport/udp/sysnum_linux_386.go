package udp

// sysSendmmsg is sendmmsg's number, which package syscall lacks on 386.
const sysSendmmsg = 345
