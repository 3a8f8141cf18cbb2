app_name = "mentors"

# Mentor profiles, matching and sessions come with the mentoring issue.
urlpatterns: list = []
