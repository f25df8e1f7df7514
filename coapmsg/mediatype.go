package coapmsg

import "strconv"

// MediaType is a CoAP Content-Format identifier (RFC 7252 section 12.3).
type MediaType uint16

// Content-Formats of the IANA registry that LwM2M and common CoAP
// applications use, including the LwM2M ones (OMA LwM2M Core 1.2, 7.1).
const (
	TextPlain       MediaType = 0     // text/plain;charset=utf-8
	AppCoseEncrypt0 MediaType = 16    // application/cose; cose-type="cose-encrypt0"
	AppLinkFormat   MediaType = 40    // application/link-format
	AppXML          MediaType = 41    // application/xml
	AppOctetStream  MediaType = 42    // application/octet-stream
	AppEXI          MediaType = 47    // application/exi
	AppJSON         MediaType = 50    // application/json
	AppJSONPatch    MediaType = 51    // application/json-patch+json
	AppMergePatch   MediaType = 52    // application/merge-patch+json
	AppCBOR         MediaType = 60    // application/cbor
	AppCWT          MediaType = 61    // application/cwt
	AppSenMLJSON    MediaType = 110   // application/senml+json
	AppSenSMLJSON   MediaType = 111   // application/sensml+json
	AppSenMLCBOR    MediaType = 112   // application/senml+cbor
	AppSenSMLCBOR   MediaType = 113   // application/sensml+cbor
	AppSenMLExi     MediaType = 114   // application/senml-exi
	AppSenSMLExi    MediaType = 115   // application/sensml-exi
	AppLwM2MTLV     MediaType = 11542 // application/vnd.oma.lwm2m+tlv
	AppLwM2MJSON    MediaType = 11543 // application/vnd.oma.lwm2m+json
	AppLwM2MCBOR    MediaType = 11544 // application/vnd.oma.lwm2m+cbor
	AppLwM2MTLVOld  MediaType = 1542  // pre-registration LwM2M 1.0 TLV, still sent by old clients
	AppLwM2MJSONOld MediaType = 1543  // pre-registration LwM2M 1.0 JSON
	AppOSCORE       MediaType = 10001 // application/oscore
)

var mediaTypeNames = map[MediaType]string{
	TextPlain: "text/plain;charset=utf-8", AppCoseEncrypt0: `application/cose; cose-type="cose-encrypt0"`,
	AppLinkFormat: "application/link-format", AppXML: "application/xml", AppOctetStream: "application/octet-stream",
	AppEXI: "application/exi", AppJSON: "application/json", AppJSONPatch: "application/json-patch+json",
	AppMergePatch: "application/merge-patch+json", AppCBOR: "application/cbor", AppCWT: "application/cwt",
	AppSenMLJSON: "application/senml+json", AppSenSMLJSON: "application/sensml+json",
	AppSenMLCBOR: "application/senml+cbor", AppSenSMLCBOR: "application/sensml+cbor",
	AppSenMLExi: "application/senml-exi", AppSenSMLExi: "application/sensml-exi",
	AppLwM2MTLV: "application/vnd.oma.lwm2m+tlv", AppLwM2MJSON: "application/vnd.oma.lwm2m+json",
	AppLwM2MCBOR: "application/vnd.oma.lwm2m+cbor", AppLwM2MTLVOld: "application/vnd.oma.lwm2m+tlv (1542, pre-registration)",
	AppLwM2MJSONOld: "application/vnd.oma.lwm2m+json (1543, pre-registration)", AppOSCORE: "application/oscore",
}

// Name returns the media type string of a known Content-Format, or "".
// It is for people and tools, not for a hot path.
func (t MediaType) Name() string { return mediaTypeNames[t] }

// String returns the media type string, or the number for an unknown one.
func (t MediaType) String() string {
	if s := t.Name(); s != "" {
		return s
	}
	return strconv.Itoa(int(t))
}
