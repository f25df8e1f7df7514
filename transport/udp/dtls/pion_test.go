package dtls_test

import pion "github.com/pion/dtls/v3"

const dtlsRequireAndVerify = pion.RequireAndVerifyClientCert

type dtlsCipherSuiteID = pion.CipherSuiteID
