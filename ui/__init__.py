"""PlanQA's Streamlit front end: pages in `ui/views`, the API client in `ui/client.py`."""
