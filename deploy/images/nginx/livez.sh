# The frontend's health check without curl in the image: GET /livez over bash's /dev/tcp.
exec 3<>/dev/tcp/127.0.0.1/8080
printf 'GET /livez HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
read -r _ status _ <&3
[[ $status == 200 ]]
