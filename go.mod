module github.com/xobito/xobito-go

go 1.26

require (
	github.com/google/go-querystring v1.2.0
	github.com/hashicorp/go-retryablehttp v0.7.8
	github.com/jarcoal/httpmock v1.4.2
	github.com/nyaruka/phonenumbers v1.8.1
	go.uber.org/goleak v1.3.0
	golang.org/x/text v0.23.0
)

require (
	github.com/hashicorp/go-cleanhttp v0.5.2 // indirect
	google.golang.org/protobuf v1.36.11 // indirect
)
