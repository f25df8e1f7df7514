package lwm2m

// The core object definitions, transcribed from the OMA LwM2M registry
// (github.com/OpenMobileAlliance/lwm2m-registry, branch prod, files N.xml)
// for the versions that LwM2M Core 1.2 Appendix E describes. Only the
// columns ResourceDef keeps are copied: ID, name, type, operations,
// instances and mandatory. Names are the registry's, with stray spaces
// trimmed and "LWM2M" spelled "LwM2M". Resources are listed in ID order.

// Shorthands for the table columns.
const (
	single    = false
	multiple  = true
	optional  = false
	mandatory = true

	opNone = Operations(0)
	opR    = OpRead
	opW    = OpWrite
	opRW   = OpRead | OpWrite
	opE    = OpExecute
)

var coreObjects = []ObjectDef{
	// LwM2M Core 1.2 E.1; registry 0.xml, object version 1.2. No LwM2M
	// Server may access these resources: only a Bootstrap-Server (or
	// Bootstrap from Smartcard) writes them, hence no operations.
	{ID: 0, Name: "LwM2M Security", URN: "urn:oma:lwm2m:oma:0:1.2", Version: "1.2", Multiple: multiple, Mandatory: mandatory, Resources: []ResourceDef{
		{0, "LwM2M Server URI", String, opNone, single, mandatory},
		{1, "Bootstrap-Server", Boolean, opNone, single, mandatory},
		{2, "Security Mode", Integer, opNone, single, mandatory},
		{3, "Public Key or Identity", Opaque, opNone, single, mandatory},
		{4, "Server Public Key", Opaque, opNone, single, mandatory},
		{5, "Secret Key", Opaque, opNone, single, mandatory},
		{6, "SMS Security Mode", Integer, opNone, single, optional},
		{7, "SMS Binding Key Parameters", Opaque, opNone, single, optional},
		{8, "SMS Binding Secret Key(s)", Opaque, opNone, single, optional},
		{9, "LwM2M Server SMS Number", String, opNone, single, optional},
		{10, "Short Server ID", Integer, opNone, single, optional},
		{11, "Client Hold Off Time", Integer, opNone, single, optional},
		{12, "Bootstrap-Server Account Timeout", Integer, opNone, single, optional},
		{13, "Matching Type", Unsigned, opNone, single, optional},
		{14, "SNI", String, opNone, single, optional},
		{15, "Certificate Usage", Unsigned, opNone, single, optional},
		{16, "DTLS/TLS Ciphersuite", Unsigned, opNone, multiple, optional},
		{17, "OSCORE Security Mode", Objlnk, opNone, single, optional},
		{18, "Groups To Use by Client", Unsigned, opNone, multiple, optional},
		{19, "Signature Algorithms Supported by Server", Unsigned, opNone, multiple, optional},
		{20, "Signature Algorithms To Use by Client", Unsigned, opNone, multiple, optional},
		{21, "Signature Algorithm Certs Supported by Server", Unsigned, opNone, multiple, optional},
		{22, "TLS 1.3 Features To Use by Client", Unsigned, opNone, single, optional},
		{23, "TLS Extensions Supported by Server", Unsigned, opNone, single, optional},
		{24, "TLS Extensions To Use by Client", Unsigned, opNone, single, optional},
		{25, "Secondary LwM2M Server URI", String, opNone, multiple, optional},
		{26, "MQTT Server", Objlnk, opNone, single, optional},
		{27, "LwM2M COSE Security", Objlnk, opNone, multiple, optional},
		{28, "RDS Destination Port", Integer, opNone, single, optional},
		{29, "RDS Source Port", Integer, opNone, single, optional},
		{30, "RDS Application ID", String, opNone, single, optional},
	}},
	// LwM2M Core 1.2 E.2; registry 1.xml, object version 1.2.
	{ID: 1, Name: "LwM2M Server", URN: "urn:oma:lwm2m:oma:1:1.2", Version: "1.2", Multiple: multiple, Mandatory: mandatory, Resources: []ResourceDef{
		{0, "Short Server ID", Integer, opR, single, mandatory},
		{1, "Lifetime", Integer, opRW, single, mandatory},
		{2, "Default Minimum Period", Integer, opRW, single, optional},
		{3, "Default Maximum Period", Integer, opRW, single, optional},
		{4, "Disable", None, opE, single, optional},
		{5, "Disable Timeout", Integer, opRW, single, optional},
		{6, "Notification Storing When Disabled or Offline", Boolean, opRW, single, mandatory},
		{7, "Binding", String, opRW, single, mandatory},
		{8, "Registration Update Trigger", None, opE, single, mandatory},
		{9, "Bootstrap-Request Trigger", None, opE, single, optional},
		{10, "APN Link", Objlnk, opRW, single, optional},
		{11, "TLS-DTLS Alert Code", Unsigned, opR, single, optional},
		{12, "Last Bootstrapped", Time, opR, single, optional},
		{13, "Registration Priority Order", Unsigned, opR, single, optional},
		{14, "Initial Registration Delay Timer", Unsigned, opRW, single, optional},
		{15, "Registration Failure Block", Boolean, opR, single, optional},
		{16, "Bootstrap on Registration Failure", Boolean, opR, single, optional},
		{17, "Communication Retry Count", Unsigned, opRW, single, optional},
		{18, "Communication Retry Timer", Unsigned, opRW, single, optional},
		{19, "Communication Sequence Delay Timer", Unsigned, opRW, single, optional},
		{20, "Communication Sequence Retry Count", Unsigned, opRW, single, optional},
		{21, "Trigger", Boolean, opRW, single, optional},
		{22, "Preferred Transport", String, opRW, single, optional},
		{23, "Mute Send", Boolean, opRW, single, optional},
		{24, "Alternate APN Links", Objlnk, opRW, multiple, optional},
		{25, "Supported Server Versions", String, opRW, multiple, optional},
		{26, "Default Notification Mode", Integer, opRW, single, optional},
		{27, "Profile ID Hash Algorithm", Unsigned, opRW, single, optional},
	}},
	// LwM2M Core 1.2 E.3; registry 2.xml, object version 1.1.
	{ID: 2, Name: "LwM2M Access Control", URN: "urn:oma:lwm2m:oma:2:1.1", Version: "1.1", Multiple: multiple, Mandatory: optional, Resources: []ResourceDef{
		{0, "Object ID", Integer, opR, single, mandatory},
		{1, "Object Instance ID", Integer, opR, single, mandatory},
		{2, "ACL", Integer, opRW, multiple, optional},
		{3, "Access Control Owner", Integer, opRW, single, mandatory},
	}},
	// LwM2M Core 1.2 E.4; registry 3.xml, object version 1.2.
	{ID: 3, Name: "Device", URN: "urn:oma:lwm2m:oma:3:1.2", Version: "1.2", Multiple: single, Mandatory: mandatory, Resources: []ResourceDef{
		{0, "Manufacturer", String, opR, single, optional},
		{1, "Model Number", String, opR, single, optional},
		{2, "Serial Number", String, opR, single, optional},
		{3, "Firmware Version", String, opR, single, optional},
		{4, "Reboot", None, opE, single, mandatory},
		{5, "Factory Reset", None, opE, single, optional},
		{6, "Available Power Sources", Integer, opR, multiple, optional},
		{7, "Power Source Voltage", Integer, opR, multiple, optional},
		{8, "Power Source Current", Integer, opR, multiple, optional},
		{9, "Battery Level", Integer, opR, single, optional},
		{10, "Memory Free", Integer, opR, single, optional},
		{11, "Error Code", Integer, opR, multiple, mandatory},
		{12, "Reset Error Code", None, opE, single, optional},
		{13, "Current Time", Time, opRW, single, optional},
		{14, "UTC Offset", String, opRW, single, optional},
		{15, "Timezone", String, opRW, single, optional},
		{16, "Supported Binding and Modes", String, opR, single, mandatory},
		{17, "Device Type", String, opR, single, optional},
		{18, "Hardware Version", String, opR, single, optional},
		{19, "Software Version", String, opR, single, optional},
		{20, "Battery Status", Integer, opR, single, optional},
		{21, "Memory Total", Integer, opR, single, optional},
		{22, "ExtDevInfo", Objlnk, opR, multiple, optional},
	}},
	// LwM2M Core 1.2 E.5; registry 4.xml, object version 1.3.
	{ID: 4, Name: "Connectivity Monitoring", URN: "urn:oma:lwm2m:oma:4:1.3", Version: "1.3", Multiple: single, Mandatory: optional, Resources: []ResourceDef{
		{0, "Network Bearer", Integer, opR, single, mandatory},
		{1, "Available Network Bearer", Integer, opR, multiple, mandatory},
		{2, "Radio Signal Strength", Integer, opR, single, mandatory},
		{3, "Link Quality", Integer, opR, single, optional},
		{4, "IP Addresses", String, opR, multiple, mandatory},
		{5, "Router IP Addresses", String, opR, multiple, optional},
		{6, "Link Utilization", Integer, opR, single, optional},
		{7, "APN", String, opR, multiple, optional},
		{8, "Cell ID", Integer, opR, single, optional},
		{9, "SMNC", Integer, opR, single, optional},
		{10, "SMCC", Integer, opR, single, optional},
		{11, "SignalSNR", Integer, opR, single, optional},
		{12, "LAC", Integer, opR, single, optional},
		{13, "Coverage Enhancement Level", Integer, opR, single, optional},
	}},
	// LwM2M Core 1.2 E.6; registry 5.xml, object version 1.2. Resource 4
	// is not assigned (it was removed before LwM2M 1.0).
	{ID: 5, Name: "Firmware Update", URN: "urn:oma:lwm2m:oma:5:1.2", Version: "1.2", Multiple: single, Mandatory: optional, Resources: []ResourceDef{
		{0, "Package", Opaque, opW, single, mandatory},
		{1, "Package URI", String, opRW, single, mandatory},
		{2, "Update", None, opE, single, mandatory},
		{3, "State", Integer, opR, single, mandatory},
		{5, "Update Result", Integer, opR, single, mandatory},
		{6, "PkgName", String, opR, single, optional},
		{7, "PkgVersion", String, opR, single, optional},
		{8, "Firmware Update Protocol Support", Integer, opR, multiple, optional},
		{9, "Firmware Update Delivery Method", Integer, opR, single, mandatory},
		{10, "Cancel", None, opE, single, optional},
		{11, "Severity", Integer, opRW, single, optional},
		{12, "Last State Change Time", Time, opR, single, optional},
		{13, "Maximum Defer Period", Unsigned, opRW, single, optional},
		{14, "Automatic Upgrade at Download", Boolean, opRW, single, optional},
	}},
	// LwM2M Core 1.2 E.7; registry 6.xml, object version 1.0.
	{ID: 6, Name: "Location", URN: "urn:oma:lwm2m:oma:6", Version: "1.0", Multiple: single, Mandatory: optional, Resources: []ResourceDef{
		{0, "Latitude", Float, opR, single, mandatory},
		{1, "Longitude", Float, opR, single, mandatory},
		{2, "Altitude", Float, opR, single, optional},
		{3, "Radius", Float, opR, single, optional},
		{4, "Velocity", Opaque, opR, single, optional},
		{5, "Timestamp", Time, opR, single, mandatory},
		{6, "Speed", Float, opR, single, optional},
	}},
	// LwM2M Core 1.2 E.8; registry 7.xml, object version 1.0.
	{ID: 7, Name: "Connectivity Statistics", URN: "urn:oma:lwm2m:oma:7", Version: "1.0", Multiple: single, Mandatory: optional, Resources: []ResourceDef{
		{0, "SMS Tx Counter", Integer, opR, single, optional},
		{1, "SMS Rx Counter", Integer, opR, single, optional},
		{2, "Tx Data", Integer, opR, single, optional},
		{3, "Rx Data", Integer, opR, single, optional},
		{4, "Max Message Size", Integer, opR, single, optional},
		{5, "Average Message Size", Integer, opR, single, optional},
		{6, "Start", None, opE, single, mandatory},
		{7, "Stop", None, opE, single, mandatory},
		{8, "Collection Period", Integer, opRW, single, optional},
	}},
	// LwM2M Core 1.2 E.9; registry 21.xml, object version 2.0 (1.1 typed
	// the secrets and identifiers as String; 2.0 makes them Opaque). Like
	// Security, reachable by a Bootstrap-Server only.
	{ID: 21, Name: "LwM2M OSCORE", URN: "urn:oma:lwm2m:oma:21:2.0", Version: "2.0", Multiple: multiple, Mandatory: optional, Resources: []ResourceDef{
		{0, "OSCORE Master Secret", Opaque, opNone, single, mandatory},
		{1, "OSCORE Sender ID", Opaque, opNone, single, mandatory},
		{2, "OSCORE Recipient ID", Opaque, opNone, single, mandatory},
		{3, "OSCORE AEAD Algorithm", Integer, opNone, single, optional},
		{4, "OSCORE HMAC Algorithm", Integer, opNone, single, optional},
		{5, "OSCORE Master Salt", Opaque, opNone, single, optional},
		{6, "OSCORE ID Context", Opaque, opNone, single, optional},
	}},
	// LwM2M Core 1.2 (new in 1.2); registry 23.xml, object version 1.0.
	{ID: 23, Name: "LwM2M COSE", URN: "urn:oma:lwm2m:oma:23", Version: "1.0", Multiple: multiple, Mandatory: optional, Resources: []ResourceDef{
		{0, "KID", String, opNone, single, mandatory},
		{1, "AEAD Algorithm", Integer, opNone, single, mandatory},
		{2, "Key", String, opNone, single, mandatory},
	}},
	// LwM2M Core 1.2 (new in 1.2, for the MQTT binding of the 1.2
	// Transport specification); registry 24.xml, object version 1.0.
	{ID: 24, Name: "MQTT Server", URN: "urn:oma:lwm2m:oma:24", Version: "1.0", Multiple: multiple, Mandatory: optional, Resources: []ResourceDef{
		{0, "Will Retain", Boolean, opRW, single, optional},
		{1, "Will Topic", String, opRW, single, optional},
		{2, "Will Message", String, opRW, single, optional},
		{3, "Clean Session", Boolean, opRW, single, optional},
		{4, "Will QoS", Unsigned, opRW, single, optional},
		{5, "Keep Alive", Unsigned, opRW, single, optional},
		{6, "Client Identifier", String, opRW, single, mandatory},
		{7, "User Name", String, opRW, single, optional},
		{8, "Password", Opaque, opRW, single, optional},
	}},
}
