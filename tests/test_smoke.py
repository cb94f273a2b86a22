"""Sign in, and see the main pages answer."""


def test_login_and_pages(make, login):
    user = make.user("secretary")
    client = login(user)
    for url in ["/my-work", "/sources/", "/recommendations/", "/measures/", "/meetings", "/bodies"]:
        response = client.get(url)
        assert response.status_code == 200, url
